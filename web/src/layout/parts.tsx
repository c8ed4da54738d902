import { GlobalOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { Link } from 'react-router-dom';
import { useT } from '../i18n';

export function Brand({ compact }: { compact?: boolean }) {
  const { t } = useT();
  return (
    <Link to="/" className="brand" data-testid="brand">
      <span className="brand-mark">券</span>
      <span className="brand-text">
        <span className="brand-name">{t('app.name')}</span>
        {!compact && <span className="brand-sub">{t('app.title')}</span>}
      </span>
    </Link>
  );
}

export function LangSwitch() {
  const { lang, setLang, t } = useT();
  return (
    <Button
      type="text"
      icon={<GlobalOutlined />}
      onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
      data-testid="lang-switch"
      data-lang={lang}
    >
      {t('lang.switch')}
    </Button>
  );
}

import { Alert, App, Button, Card, Col, Descriptions, Form, Input, Row, Select, Skeleton, Switch, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import { INDUSTRY_SECTIONS, SIZE_CLASSES, type Enterprise, type EnterprisePatch } from '../../api/types';
import { DateText, ErrorState, PageHeader } from '../../components/common';
import { applyServerFieldError } from '../../components/formErrors';
import { useAuth } from '../../auth';
import { useAsync, useCities } from '../../hooks';
import { useT } from '../../i18n';

type Editable = Pick<Enterprise, 'name' | 'city_code' | 'industry' | 'size_class' | 'legal_rep' | 'shareholders' | 'pilot_zone'>;
const EDITABLE = ['name', 'city_code', 'industry', 'size_class', 'legal_rep', 'shareholders', 'pilot_zone'];

export default function MyFile() {
  const { t, tErr, tEnum, lang } = useT();
  const { user } = useAuth();
  const { message } = App.useApp();
  const { cities } = useCities();
  const [form] = Form.useForm<Editable>();
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<unknown>(null);
  const id = user?.enterprise_id;
  const { data, error, loading, reload } = useAsync(
    (s) => (id == null ? Promise.resolve(undefined) : api.get<Enterprise>(`/enterprises/${id}`, undefined, s)),
    [id],
  );
  useEffect(() => {
    if (data) form.setFieldsValue(data);
  }, [data, form]);

  if (id == null) return <Alert type="warning" showIcon message={t('ent.noBinding')} />;

  const onFinish = async (v: Editable) => {
    setSaving(true);
    setFormError(null);
    try {
      const changed: EnterprisePatch = {};
      for (const k of EDITABLE as (keyof Editable)[]) {
        if (JSON.stringify(v[k]) !== JSON.stringify(data?.[k])) (changed as Record<string, unknown>)[k] = v[k];
      }
      const updated = await api.patch<Enterprise>(`/enterprises/${id}`, changed);
      if (updated && typeof updated === 'object') form.setFieldsValue(updated);
      message.success(t('common.saved'));
      reload();
    } catch (e) {
      if (!applyServerFieldError(form, e, tErr(e), EDITABLE)) setFormError(e);
    } finally {
      setSaving(false);
    }
  };

  return (
    <div data-testid="page-ent-file">
      <PageHeader title={t('ent.file.title')} sub={t('ent.file.sub')} />
      {error ? (
        <ErrorState error={error} onRetry={reload} />
      ) : loading && !data ? (
        <Card><Skeleton active paragraph={{ rows: 8 }} /></Card>
      ) : data ? (
        <Row gutter={16}>
          <Col xs={24} lg={8}>
            <Card>
              <Descriptions column={1} size="small">
                <Descriptions.Item label={t('ent.uscc')}>
                  <span className="mono" data-testid="ent-uscc">{data.uscc}</span>
                </Descriptions.Item>
                <Descriptions.Item label={t('common.id')}>{data.id}</Descriptions.Item>
                <Descriptions.Item label={t('ent.pilot')}>
                  {data.pilot_zone ? <Tag color="blue">{t('common.yes')}</Tag> : <Tag>{t('common.no')}</Tag>}
                </Descriptions.Item>
                <Descriptions.Item label={t('ent.size')}>{tEnum('size', data.size_class)}</Descriptions.Item>
                <Descriptions.Item label={t('common.createdAt')}>
                  <DateText d={data.created_at} />
                </Descriptions.Item>
              </Descriptions>
            </Card>
          </Col>
          <Col xs={24} lg={16}>
            <Card>
              {formError ? <Alert type="error" showIcon message={tErr(formError)} style={{ marginBottom: 16 }} /> : null}
              <Form form={form} layout="vertical" onFinish={onFinish} data-testid="ent-file-form">
                <Row gutter={16}>
                  <Col xs={24} md={12}>
                    <Form.Item name="name" label={t('ent.name')} rules={[{ required: true, message: t('err.required') }]}>
                      <Input data-testid="ent-name" maxLength={200} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={12}>
                    <Form.Item name="city_code" label={t('common.city')} rules={[{ required: true, message: t('err.required') }]}>
                      <Select
                        showSearch
                        optionFilterProp="label"
                        options={cities.map((c) => ({ value: c.code, label: lang === 'zh' ? c.name_zh : c.name_en }))}
                      />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={12}>
                    <Form.Item name="industry" label={t('ent.industry')} rules={[{ required: true, message: t('err.required') }]}>
                      <Select options={INDUSTRY_SECTIONS.map((s) => ({ value: s, label: s }))} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={12}>
                    <Form.Item name="size_class" label={t('ent.size')} rules={[{ required: true, message: t('err.required') }]}>
                      <Select options={SIZE_CLASSES.map((s) => ({ value: s, label: tEnum('size', s) }))} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={12}>
                    <Form.Item name="legal_rep" label={t('ent.legalRep')}>
                      <Input maxLength={100} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={12}>
                    <Form.Item name="pilot_zone" label={t('ent.pilot')} valuePropName="checked">
                      <Switch />
                    </Form.Item>
                  </Col>
                  <Col xs={24}>
                    <Form.Item name="shareholders" label={t('ent.shareholders')} extra={t('ent.shareholdersHint')}>
                      <Select mode="tags" tokenSeparators={[',', '，']} open={false} />
                    </Form.Item>
                  </Col>
                </Row>
                <Button type="primary" htmlType="submit" loading={saving} data-testid="ent-file-save">
                  {t('common.save')}
                </Button>
              </Form>
            </Card>
          </Col>
        </Row>
      ) : null}
    </div>
  );
}

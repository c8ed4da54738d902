// An application's review chain: each level with its scope, its decision (approve or reject), the
// amount it approved and its reason. The reviewer's drawer shows it with who decided; the
// enterprise's applications page without.
import { Steps, Tag } from 'antd';
import type { Application } from '../../api/types';
import { DateText, Money } from '../../components/common';
import { useT } from '../../i18n';
import { chainSteps, type LevelState } from './chain';

const STEP_STATUS: Record<LevelState, 'finish' | 'error' | 'process' | 'wait'> = { approved: 'finish', rejected: 'error', current: 'process', waiting: 'wait' };

export function ReviewChainSteps({ app, showReviewer = true, testid = 'review-chain' }: { app: Application; showReviewer?: boolean; testid?: string }) {
  const { t } = useT();
  const steps = chainSteps(app);
  const current = steps.findIndex((s) => s.state === 'current' || s.state === 'rejected');
  return (
    <Steps
      direction="vertical"
      size="small"
      current={current >= 0 ? current : steps.length}
      data-testid={testid}
      items={steps.map((s) => {
        const d = s.decision;
        const stateText =
          s.state === 'approved' ? t('rev.approve') : s.state === 'rejected' ? t('rev.reject') : s.state === 'current' ? t('app.chainReviewing') : t('app.chainWaiting');
        return {
          title: (
            <span data-testid={`${testid}-level-${s.level}`} data-state={s.state}>
              {s.level}. {s.name}{' '}
              <Tag bordered={false} style={{ marginLeft: 4 }}>
                {s.scope === 'city' ? t('chain.scope.city') : t('chain.scope.province')}
              </Tag>
            </span>
          ),
          status: STEP_STATUS[s.state],
          description: (
            <span>
              {stateText}
              {d?.amount_fen != null && (
                <>
                  {' · '}
                  <Money fen={d.amount_fen} />
                </>
              )}
              {d && showReviewer && <> · {d.reviewer_name}</>}
              {d && (
                <>
                  {' · '}
                  <DateText d={d.decided_at} />
                </>
              )}
              {d?.reason ? <> · {d.reason}</> : null}
            </span>
          ),
        };
      })}
    />
  );
}

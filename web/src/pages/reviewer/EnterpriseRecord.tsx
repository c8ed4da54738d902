// 企业履历, in the reviewer's drawer: what the platform already knows of the applicant — the
// versions of its registered file (FileHistory), its earlier applications and its vouchers (the
// list endpoints filtered by enterprise_id, paged on the server).
import { Divider, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Application, Enterprise, Id, Voucher } from '../../api/types';
import { DateText, Money, StatusTag } from '../../components/common';
import { FileHistory } from '../../components/FileHistory';
import { numberColumn, RecordNo } from '../../components/RecordNumber';
import { ServerTable } from '../../components/ServerTable';
import { useT } from '../../i18n';

export function EnterpriseRecord({ enterprise, currentApp }: { enterprise: Enterprise; currentApp: Id }) {
  const { t, tEnum } = useT();
  const apps: ColumnsType<Application> = [
    numberColumn<Application>(t('rec.number'), (n, r) => (
      <span>
        <RecordNo n={n} />
        {String(r.id) === String(currentApp) ? <Tag color="processing" style={{ marginLeft: 4 }}>{t('rev.thisApp')}</Tag> : null}
      </span>
    )),
    { title: t('app.program'), dataIndex: 'program_name' },
    { title: t('app.amount'), dataIndex: 'amount_fen', align: 'right', render: (v: number, r) => <Money fen={r.approved_fen ?? v} /> },
    { title: t('common.status'), dataIndex: 'status', render: (v: string) => <StatusTag prefix="appst" status={v} /> },
    { title: t('common.createdAt'), dataIndex: 'created_at', render: (v: string) => <DateText d={v} /> },
  ];
  const vouchers: ColumnsType<Voucher> = [
    numberColumn<Voucher>(t('rec.number')),
    { title: t('app.program'), dataIndex: 'program_name' },
    { title: t('v.type'), dataIndex: 'voucher_type', render: (v: string) => tEnum('vt', v) },
    { title: t('v.face'), dataIndex: 'face_value_fen', align: 'right', render: (v: number) => <Money fen={v} /> },
    { title: t('v.balance'), dataIndex: 'balance_fen', align: 'right', render: (v: number) => <Money fen={v} /> },
    { title: t('common.status'), dataIndex: 'status', render: (v: string) => <StatusTag prefix="vst" status={v} /> },
  ];
  const small = { size: 'small' as const };
  return (
    <div data-testid="review-enterprise-record">
      <Divider orientation="left">{t('hist.title')}</Divider>
      <FileHistory enterprise={enterprise} testid="review-file-history" />
      <Divider orientation="left">{t('rev.entApplications')}</Divider>
      <ServerTable urlKey={false} testid="review-ent-applications" path="/applications" query={{ enterprise_id: String(enterprise.id) }} columns={apps} pageSize={5} tableProps={small} />
      <Divider orientation="left">{t('rev.entVouchers')}</Divider>
      <ServerTable urlKey={false} testid="review-ent-vouchers" path="/vouchers" query={{ enterprise_id: String(enterprise.id) }} columns={vouchers} pageSize={5} tableProps={small} />
    </div>
  );
}

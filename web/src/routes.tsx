// Console pages, who may open them, and the menu built from them.
import {
  AuditOutlined,
  BankOutlined,
  BarChartOutlined,
  CloudUploadOutlined,
  DashboardOutlined,
  DiffOutlined,
  ExperimentOutlined,
  ExceptionOutlined,
  FileDoneOutlined,
  FileSearchOutlined,
  FormOutlined,
  FundOutlined,
  PauseCircleOutlined,
  HistoryOutlined,
  IdcardOutlined,
  NotificationOutlined,
  ProfileOutlined,
  ShopOutlined,
  SnippetsOutlined,
  ThunderboltOutlined,
  WalletOutlined,
  AccountBookOutlined,
  ContainerOutlined,
  TransactionOutlined,
  TrophyOutlined,
  CarryOutOutlined,
  CreditCardOutlined,
  TeamOutlined,
  DatabaseOutlined,
  SafetyOutlined,
  FileProtectOutlined,
  ApartmentOutlined,
  CloudServerOutlined,
  KeyOutlined,
} from '@ant-design/icons';
import { lazy, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import { isRole, type Role } from './api/types';
import type { MsgKey } from './i18n';

export interface PageDef {
  path: string;
  roles: Role[];
  label: MsgKey;
  group: MsgKey;
  icon: ReactNode;
  component: LazyExoticComponent<ComponentType>;
  /** A page reached from another (a round's own page from the round list), not listed in the menu. */
  hidden?: boolean;
}

/** The pages the menu lists for a user of `role`. */
export function menuPages(role: string): PageDef[] {
  return PAGES.filter((p) => !p.hidden && mayOpen(p, role));
}

/** Whether a user of `role` (a string on the wire) may open the page. */
export function mayOpen(page: PageDef, role: string): boolean {
  return isRole(role) && page.roles.includes(role);
}

const p = (loader: () => Promise<{ default: ComponentType }>) => lazy(loader);

export const PAGES: PageDef[] = [
  { path: '/ent/file', roles: ['enterprise'], label: 'nav.ent.file', group: 'nav.group.enterprise', icon: <IdcardOutlined />, component: p(() => import('./pages/enterprise/MyFile')) },
  { path: '/ent/apply', roles: ['enterprise'], label: 'nav.ent.apply', group: 'nav.group.enterprise', icon: <FormOutlined />, component: p(() => import('./pages/enterprise/Apply')) },
  { path: '/ent/applications', roles: ['enterprise'], label: 'nav.ent.applications', group: 'nav.group.enterprise', icon: <ProfileOutlined />, component: p(() => import('./pages/enterprise/MyApplications')) },
  { path: '/ent/vouchers', roles: ['enterprise'], label: 'nav.ent.vouchers', group: 'nav.group.enterprise', icon: <WalletOutlined />, component: p(() => import('./pages/enterprise/MyVouchers')) },
  { path: '/ent/vouchers/:id/certificate', roles: ['enterprise'], label: 'nav.voucherCertificate', group: 'nav.group.enterprise', icon: <WalletOutlined />, component: p(() => import('./pages/enterprise/VoucherCertificate')), hidden: true },
  { path: '/ent/contracts', roles: ['enterprise'], label: 'nav.ent.contracts', group: 'nav.group.enterprise', icon: <ContainerOutlined />, component: p(() => import('./pages/common/Contracts')) },
  { path: '/ent/redemptions', roles: ['enterprise'], label: 'nav.ent.redemptions', group: 'nav.group.enterprise', icon: <HistoryOutlined />, component: p(() => import('./pages/common/Redemptions')) },
  { path: '/ent/reimbursements', roles: ['enterprise'], label: 'nav.ent.reimbursements', group: 'nav.group.enterprise', icon: <TransactionOutlined />, component: p(() => import('./pages/common/Reimbursements')) },
  { path: '/ent/registrations', roles: ['enterprise'], label: 'nav.ent.registrations', group: 'nav.group.data', icon: <DatabaseOutlined />, component: p(() => import('./pages/enterprise/MyRegistrations')) },
  { path: '/ent/consent', roles: ['enterprise'], label: 'nav.ent.consent', group: 'nav.group.data', icon: <SafetyOutlined />, component: p(() => import('./pages/enterprise/ConsentCentre')) },
  { path: '/ent/usage', roles: ['enterprise'], label: 'nav.ent.usage', group: 'nav.group.enterprise', icon: <ThunderboltOutlined />, component: p(() => import('./pages/common/UsageSummary')) },

  { path: '/sup/products', roles: ['supplier'], label: 'nav.sup.products', group: 'nav.group.supplier', icon: <ShopOutlined />, component: p(() => import('./pages/supplier/MyProducts')) },
  { path: '/sup/redeem', roles: ['supplier'], label: 'nav.sup.redeem', group: 'nav.group.supplier', icon: <FileDoneOutlined />, component: p(() => import('./pages/supplier/Redeem')) },
  { path: '/sup/contracts', roles: ['supplier'], label: 'nav.sup.contracts', group: 'nav.group.supplier', icon: <ContainerOutlined />, component: p(() => import('./pages/common/Contracts')) },
  { path: '/sup/usage', roles: ['supplier'], label: 'nav.sup.usage', group: 'nav.group.supplier', icon: <CloudUploadOutlined />, component: p(() => import('./pages/supplier/UsageUpload')) },
  // A compute supplier's keys for signing its usage batches (next to the upload they govern).
  { path: '/sup/usage-keys', roles: ['supplier'], label: 'nav.usageKeys', group: 'nav.group.supplier', icon: <KeyOutlined />, component: p(() => import('./pages/supplier/UsageKeys')) },
  { path: '/sup/redemptions', roles: ['supplier'], label: 'nav.sup.redemptions', group: 'nav.group.supplier', icon: <HistoryOutlined />, component: p(() => import('./pages/common/Redemptions')) },
  { path: '/sup/selection', roles: ['supplier'], label: 'nav.sup.selection', group: 'nav.group.supplier', icon: <TrophyOutlined />, component: p(() => import('./pages/supplier/Selection')) },
  { path: '/sup/registrations', roles: ['supplier'], label: 'nav.ent.registrations', group: 'nav.group.data', icon: <DatabaseOutlined />, component: p(() => import('./pages/enterprise/MyRegistrations')) },
  { path: '/sup/settlements', roles: ['supplier'], label: 'nav.sup.settlements', group: 'nav.group.supplier', icon: <AccountBookOutlined />, component: p(() => import('./pages/common/Settlements')) },

  { path: '/review/applications', roles: ['reviewer', 'admin'], label: 'nav.review.queue', group: 'nav.group.review', icon: <FileSearchOutlined />, component: p(() => import('./pages/reviewer/Queue')) },
  { path: '/review/registrations', roles: ['reviewer', 'admin', 'auditor'], label: 'nav.review.registrations', group: 'nav.group.data', icon: <FileProtectOutlined />, component: p(() => import('./pages/reviewer/RegistrationQueue')) },
  { path: '/review/selection', roles: ['reviewer'], label: 'nav.review.selection', group: 'nav.group.review', icon: <CarryOutOutlined />, component: p(() => import('./pages/reviewer/SelectionTasks')) },

  { path: '/admin/programs', roles: ['admin', 'auditor'], label: 'nav.admin.programs', group: 'nav.group.admin', icon: <SnippetsOutlined />, component: p(() => import('./pages/admin/Programs')) },
  { path: '/admin/funding', roles: ['admin', 'auditor'], label: 'nav.admin.funding', group: 'nav.group.admin', icon: <BankOutlined />, component: p(() => import('./pages/admin/FundingSources')) },
  { path: '/admin/budget', roles: ['admin', 'auditor'], label: 'nav.admin.budget', group: 'nav.group.admin', icon: <FundOutlined />, component: p(() => import('./pages/admin/Budget')) },
  // A program's what-if (假设推演): its history replayed under changed rules, reached from the budget
  // page; it writes nothing, so reviewers and auditors run it as administrators do.
  { path: '/admin/programs/:id/what-if', roles: ['admin', 'reviewer', 'auditor'], label: 'nav.admin.whatIf', group: 'nav.group.admin', icon: <ExperimentOutlined />, component: p(() => import('./pages/admin/WhatIf')), hidden: true },
  { path: '/admin/stats', roles: ['admin', 'auditor'], label: 'nav.admin.stats', group: 'nav.group.admin', icon: <BarChartOutlined />, component: p(() => import('./pages/admin/Stats')) },
  { path: '/admin/vouchers', roles: ['admin'], label: 'nav.admin.vouchers', group: 'nav.group.admin', icon: <CreditCardOutlined />, component: p(() => import('./pages/admin/Vouchers')) },
  { path: '/admin/notices', roles: ['admin'], label: 'nav.admin.notices', group: 'nav.group.admin', icon: <NotificationOutlined />, component: p(() => import('./pages/admin/Notices')) },
  { path: '/admin/settlements', roles: ['admin', 'auditor'], label: 'nav.admin.settlements', group: 'nav.group.admin', icon: <AccountBookOutlined />, component: p(() => import('./pages/common/Settlements')) },
  { path: '/admin/contracts', roles: ['admin', 'auditor'], label: 'nav.admin.contracts', group: 'nav.group.admin', icon: <ContainerOutlined />, component: p(() => import('./pages/common/Contracts')) },
  { path: '/admin/reimbursements', roles: ['admin', 'auditor'], label: 'nav.admin.reimbursements', group: 'nav.group.admin', icon: <TransactionOutlined />, component: p(() => import('./pages/common/Reimbursements')) },
  // Annual selection rounds (遴选): administrators run them, auditors read.
  { path: '/admin/selection', roles: ['admin', 'auditor'], label: 'nav.admin.selection', group: 'nav.group.admin', icon: <TrophyOutlined />, component: p(() => import('./pages/admin/SelectionRounds')) },
  { path: '/admin/selection/:id', roles: ['admin', 'auditor'], label: 'nav.admin.selectionRound', group: 'nav.group.admin', icon: <TrophyOutlined />, component: p(() => import('./pages/admin/SelectionRound')), hidden: true },

  // Integrity: administrators manage, reviewers and auditors read.
  { path: '/admin/dishonesty', roles: ['admin', 'reviewer', 'auditor'], label: 'nav.admin.dishonesty', group: 'nav.group.integrity', icon: <ExceptionOutlined />, component: p(() => import('./pages/admin/DishonestyList')) },
  { path: '/admin/held-payments', roles: ['admin', 'reviewer', 'auditor'], label: 'nav.admin.heldPayments', group: 'nav.group.integrity', icon: <PauseCircleOutlined />, component: p(() => import('./pages/admin/HeldPayments')) },
  { path: '/admin/enterprises', roles: ['admin', 'reviewer', 'auditor'], label: 'nav.admin.enterprises', group: 'nav.group.integrity', icon: <IdcardOutlined />, component: p(() => import('./pages/admin/Enterprises')) },
  { path: '/admin/suppliers', roles: ['admin', 'reviewer', 'auditor'], label: 'nav.admin.suppliers', group: 'nav.group.integrity', icon: <ShopOutlined />, component: p(() => import('./pages/admin/Suppliers')) },
  // A supplier's usage signing keys, from the supplier list or its drawer: administrators register
  // or rotate, reviewers and auditors read.
  { path: '/admin/suppliers/:id/usage-keys', roles: ['admin', 'reviewer', 'auditor'], label: 'nav.usageKeys', group: 'nav.group.integrity', icon: <KeyOutlined />, component: p(() => import('./pages/supplier/UsageKeys')), hidden: true },
  { path: '/admin/change-requests', roles: ['admin', 'reviewer', 'auditor'], label: 'nav.admin.changeRequests', group: 'nav.group.integrity', icon: <DiffOutlined />, component: p(() => import('./pages/admin/ChangeRequests')) },

  // The data authorization hub (授权运营): administrators run it, auditors read.
  { path: '/admin/authorizations', roles: ['admin', 'auditor'], label: 'nav.admin.authorizations', group: 'nav.group.data', icon: <ApartmentOutlined />, component: p(() => import('./pages/admin/Authorizations')) },

  { path: '/admin/users', roles: ['admin'], label: 'nav.admin.users', group: 'nav.group.admin', icon: <TeamOutlined />, component: p(() => import('./pages/admin/Users')) },

  { path: '/audit', roles: ['auditor', 'admin'], label: 'nav.audit.log', group: 'nav.group.audit', icon: <AuditOutlined />, component: p(() => import('./pages/auditor/AuditLog')) },

  // The computing-power registry: compute suppliers register their sites, administrators for a
  // named supplier, auditors read. A policy target's figure entered with its source (from the targets list).
  { path: '/sup/compute-sites', roles: ['supplier'], label: 'nav.computeSites', group: 'nav.group.supplier', icon: <CloudServerOutlined />, component: p(() => import('./pages/common/ComputeSites')) },
  { path: '/admin/compute-sites', roles: ['admin', 'auditor'], label: 'nav.computeSites', group: 'nav.group.admin', icon: <CloudServerOutlined />, component: p(() => import('./pages/common/ComputeSites')) },
  { path: '/admin/targets/:id', roles: ['admin', 'auditor'], label: 'nav.targetFigures', group: 'nav.group.admin', icon: <FundOutlined />, component: p(() => import('./pages/admin/TargetFigures')), hidden: true },
];

export const DASHBOARD_ICON = <DashboardOutlined />;

export function testIdFor(path: string): string {
  return `menu${path.replace(/\//g, '-')}`;
}

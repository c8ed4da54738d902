// Console pages, who may open them, and the menu built from them (its icons: layout/menuIcons.tsx,
// loaded with the console's frame only).
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import { isRole, type Role } from './api/types';
import type { MsgKey } from './i18n';

export interface PageDef {
  path: string;
  roles: Role[];
  label: MsgKey;
  group: MsgKey;
  component: LazyExoticComponent<ComponentType>;
  /** A page reached from another (a round's own page from the round list), not listed in the menu. */
  hidden?: boolean;
  /** The menu entry a hidden page is reached from, highlighted while it is open. */
  from?: string;
}

/** The pages the menu lists for a user of `role`. */
export function menuPages(role: string): PageDef[] {
  return PAGES.filter((p) => !p.hidden && mayOpen(p, role));
}

/** Whether a user of `role` (a string on the wire) may open the page. */
export function mayOpen(page: PageDef, role: string): boolean {
  return isRole(role) && page.roles.includes(role);
}

const LOADERS = new WeakMap<object, () => Promise<unknown>>();
const p = (loader: () => Promise<{ default: ComponentType }>) => {
  const c = lazy(loader);
  LOADERS.set(c, loader);
  return c;
};

/**
 * Start fetching a page's chunk before it renders: the console's frame is a lazy chunk of its own
 * (App.tsx), and the page renders inside it, so without this the page's chunk would be asked for
 * only once the frame's has arrived.
 */
export function preloadPage(page: PageDef): void {
  LOADERS.get(page.component)?.().catch(() => {
    /* the render asks again and shows the error */
  });
}

export const PAGES: PageDef[] = [
  { path: '/ent/file', roles: ['enterprise'], label: 'nav.ent.file', group: 'nav.group.enterprise', component: p(() => import('./pages/enterprise/MyFile')) },
  { path: '/ent/apply', roles: ['enterprise'], label: 'nav.ent.apply', group: 'nav.group.enterprise', component: p(() => import('./pages/enterprise/Apply')) },
  { path: '/ent/applications', roles: ['enterprise'], label: 'nav.ent.applications', group: 'nav.group.enterprise', component: p(() => import('./pages/enterprise/MyApplications')) },
  { path: '/ent/vouchers', roles: ['enterprise'], label: 'nav.ent.vouchers', group: 'nav.group.enterprise', component: p(() => import('./pages/enterprise/MyVouchers')) },
  { path: '/ent/vouchers/:id/certificate', roles: ['enterprise'], label: 'nav.voucherCertificate', group: 'nav.group.enterprise', component: p(() => import('./pages/enterprise/VoucherCertificate')), hidden: true },
  { path: '/ent/contracts', roles: ['enterprise'], label: 'nav.ent.contracts', group: 'nav.group.enterprise', component: p(() => import('./pages/common/Contracts')) },
  { path: '/ent/redemptions', roles: ['enterprise'], label: 'nav.ent.redemptions', group: 'nav.group.enterprise', component: p(() => import('./pages/common/Redemptions')) },
  { path: '/ent/reimbursements', roles: ['enterprise'], label: 'nav.ent.reimbursements', group: 'nav.group.enterprise', component: p(() => import('./pages/common/Reimbursements')) },
  { path: '/ent/registrations', roles: ['enterprise'], label: 'nav.ent.registrations', group: 'nav.group.data', component: p(() => import('./pages/enterprise/MyRegistrations')) },
  { path: '/ent/consent', roles: ['enterprise'], label: 'nav.ent.consent', group: 'nav.group.data', component: p(() => import('./pages/enterprise/ConsentCentre')) },
  { path: '/ent/usage', roles: ['enterprise'], label: 'nav.ent.usage', group: 'nav.group.enterprise', component: p(() => import('./pages/common/UsageSummary')) },

  { path: '/sup/products', roles: ['supplier'], label: 'nav.sup.products', group: 'nav.group.supplier', component: p(() => import('./pages/supplier/MyProducts')) },
  { path: '/sup/redeem', roles: ['supplier'], label: 'nav.sup.redeem', group: 'nav.group.supplier', component: p(() => import('./pages/supplier/Redeem')) },
  { path: '/sup/contracts', roles: ['supplier'], label: 'nav.sup.contracts', group: 'nav.group.supplier', component: p(() => import('./pages/common/Contracts')) },
  { path: '/sup/usage', roles: ['supplier'], label: 'nav.sup.usage', group: 'nav.group.supplier', component: p(() => import('./pages/supplier/UsageUpload')) },
  // A compute supplier's keys for signing its usage batches (next to the upload they govern).
  { path: '/sup/usage-keys', roles: ['supplier'], label: 'nav.usageKeys', group: 'nav.group.supplier', component: p(() => import('./pages/supplier/UsageKeys')) },
  { path: '/sup/redemptions', roles: ['supplier'], label: 'nav.sup.redemptions', group: 'nav.group.supplier', component: p(() => import('./pages/common/Redemptions')) },
  { path: '/sup/selection', roles: ['supplier'], label: 'nav.sup.selection', group: 'nav.group.supplier', component: p(() => import('./pages/supplier/Selection')) },
  { path: '/sup/registrations', roles: ['supplier'], label: 'nav.ent.registrations', group: 'nav.group.data', component: p(() => import('./pages/enterprise/MyRegistrations')) },
  { path: '/sup/settlements', roles: ['supplier'], label: 'nav.sup.settlements', group: 'nav.group.supplier', component: p(() => import('./pages/common/Settlements')) },

  { path: '/review/applications', roles: ['reviewer', 'admin'], label: 'nav.review.queue', group: 'nav.group.review', component: p(() => import('./pages/reviewer/Queue')) },
  { path: '/review/registrations', roles: ['reviewer', 'admin', 'auditor'], label: 'nav.review.registrations', group: 'nav.group.data', component: p(() => import('./pages/reviewer/RegistrationQueue')) },
  { path: '/review/selection', roles: ['reviewer'], label: 'nav.review.selection', group: 'nav.group.review', component: p(() => import('./pages/reviewer/SelectionTasks')) },

  { path: '/admin/programs', roles: ['admin', 'auditor'], label: 'nav.admin.programs', group: 'nav.group.admin', component: p(() => import('./pages/admin/Programs')) },
  { path: '/admin/funding', roles: ['admin', 'auditor'], label: 'nav.admin.funding', group: 'nav.group.admin', component: p(() => import('./pages/admin/FundingSources')) },
  { path: '/admin/budget', roles: ['admin', 'reviewer', 'auditor'], label: 'nav.admin.budget', group: 'nav.group.admin', component: p(() => import('./pages/admin/Budget')) },
  // A program's what-if (假设推演): its history replayed under changed rules, reached from the budget
  // page; it writes nothing, so reviewers and auditors run it as administrators do (reviewers read
  // the budget too: their grants draw it down).
  { path: '/admin/programs/:id/what-if', roles: ['admin', 'reviewer', 'auditor'], label: 'nav.admin.whatIf', group: 'nav.group.admin', component: p(() => import('./pages/admin/WhatIf')), hidden: true, from: '/admin/budget' },
  { path: '/admin/stats', roles: ['admin', 'auditor'], label: 'nav.admin.stats', group: 'nav.group.admin', component: p(() => import('./pages/admin/Stats')) },
  { path: '/admin/vouchers', roles: ['admin'], label: 'nav.admin.vouchers', group: 'nav.group.admin', component: p(() => import('./pages/admin/Vouchers')) },
  { path: '/admin/notices', roles: ['admin'], label: 'nav.admin.notices', group: 'nav.group.admin', component: p(() => import('./pages/admin/Notices')) },
  { path: '/admin/settlements', roles: ['admin', 'auditor'], label: 'nav.admin.settlements', group: 'nav.group.admin', component: p(() => import('./pages/common/Settlements')) },
  { path: '/admin/contracts', roles: ['admin', 'auditor'], label: 'nav.admin.contracts', group: 'nav.group.admin', component: p(() => import('./pages/common/Contracts')) },
  { path: '/admin/reimbursements', roles: ['admin', 'auditor'], label: 'nav.admin.reimbursements', group: 'nav.group.admin', component: p(() => import('./pages/common/Reimbursements')) },
  // Annual selection rounds (遴选): administrators run them, auditors read.
  { path: '/admin/selection', roles: ['admin', 'auditor'], label: 'nav.admin.selection', group: 'nav.group.admin', component: p(() => import('./pages/admin/SelectionRounds')) },
  { path: '/admin/selection/:id', roles: ['admin', 'auditor'], label: 'nav.admin.selectionRound', group: 'nav.group.admin', component: p(() => import('./pages/admin/SelectionRound')), hidden: true },

  // Integrity: administrators manage, reviewers and auditors read.
  { path: '/admin/dishonesty', roles: ['admin', 'reviewer', 'auditor'], label: 'nav.admin.dishonesty', group: 'nav.group.integrity', component: p(() => import('./pages/admin/DishonestyList')) },
  { path: '/admin/held-payments', roles: ['admin', 'reviewer', 'auditor'], label: 'nav.admin.heldPayments', group: 'nav.group.integrity', component: p(() => import('./pages/admin/HeldPayments')) },
  { path: '/admin/enterprises', roles: ['admin', 'reviewer', 'auditor'], label: 'nav.admin.enterprises', group: 'nav.group.integrity', component: p(() => import('./pages/admin/Enterprises')) },
  { path: '/admin/suppliers', roles: ['admin', 'reviewer', 'auditor'], label: 'nav.admin.suppliers', group: 'nav.group.integrity', component: p(() => import('./pages/admin/Suppliers')) },
  // A supplier's usage signing keys, from the supplier list or its drawer: administrators register
  // or rotate, reviewers and auditors read.
  { path: '/admin/suppliers/:id/usage-keys', roles: ['admin', 'reviewer', 'auditor'], label: 'nav.usageKeys', group: 'nav.group.integrity', component: p(() => import('./pages/supplier/UsageKeys')), hidden: true },
  { path: '/admin/change-requests', roles: ['admin', 'reviewer', 'auditor'], label: 'nav.admin.changeRequests', group: 'nav.group.integrity', component: p(() => import('./pages/admin/ChangeRequests')) },

  // The data authorization hub (授权运营): administrators run it, auditors read.
  { path: '/admin/authorizations', roles: ['admin', 'auditor'], label: 'nav.admin.authorizations', group: 'nav.group.data', component: p(() => import('./pages/admin/Authorizations')) },

  { path: '/admin/users', roles: ['admin'], label: 'nav.admin.users', group: 'nav.group.admin', component: p(() => import('./pages/admin/Users')) },

  { path: '/audit', roles: ['auditor', 'admin'], label: 'nav.audit.log', group: 'nav.group.audit', component: p(() => import('./pages/auditor/AuditLog')) },

  // The computing-power registry: compute suppliers register their sites, administrators for a
  // named supplier, auditors read. A policy target's figure entered with its source (from the targets list).
  { path: '/sup/compute-sites', roles: ['supplier'], label: 'nav.computeSites', group: 'nav.group.supplier', component: p(() => import('./pages/common/ComputeSites')) },
  { path: '/admin/compute-sites', roles: ['admin', 'auditor'], label: 'nav.computeSites', group: 'nav.group.admin', component: p(() => import('./pages/common/ComputeSites')) },
  { path: '/admin/targets/:id', roles: ['admin', 'auditor'], label: 'nav.targetFigures', group: 'nav.group.admin', component: p(() => import('./pages/admin/TargetFigures')), hidden: true },
];

export function testIdFor(path: string): string {
  return `menu${path.replace(/\//g, '-')}`;
}

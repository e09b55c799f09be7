// 승인 요청 (spec §1.3, §3.9, P15): tabs 대기 / 처리됨 / 내 요청. [승인] runs the action at once and says how it went
// ("승인되어 처리되었습니다." or "승인했지만 처리에 실패했습니다: {사유}"); [반려] needs a reason; the requester can
// [요청 취소]. The server decides who may do what; a refusal (own request, already handled, expired) is shown as it says.
(function () {
  'use strict';
  const CD = window.CD;
  const h = CD.h;
  const COLUMNS = ['요청일시', '요청자', '유형', '대상', '내용', '메모', '만료', '상태', '처리'];
  const KIND = { PENDING: 'warning', APPROVED: 'info', EXECUTED: 'success', EXECUTION_FAILED: 'danger', REJECTED: 'secondary', EXPIRED: 'secondary', WITHDRAWN: 'secondary' };
  const state = { tab: 'pending' };

  CD.page({
    id: 'approvals',
    roles: ['ADMIN', 'OPERATOR'],
    async init() {
      CD.$$('#approval-tabs [data-tab]').forEach((button) =>
        button.addEventListener('click', () => {
          CD.$$('#approval-tabs [data-tab]').forEach((b) => {
            b.classList.toggle('active', b === button);
            b.setAttribute('aria-selected', b === button ? 'true' : 'false');
          });
          state.tab = button.dataset.tab;
          load().catch(showError);
        })
      );
      const hash = window.location.hash.replace('#', '');
      const start = CD.$('#approval-tabs [data-tab="' + hash + '"]');
      if (start) start.click();
      else await load();
    }
  });

  async function load() {
    const r = await CD.api('GET', '/api/approvals', { query: { tab: state.tab } });
    CD.$('#approvals-off').hidden = r.switches.anyOn;
    const body = CD.$('#approvals-table tbody');
    CD.clear(body);
    if (r.items.length === 0) {
      body.appendChild(CD.emptyRow(COLUMNS.length, state.tab === 'pending' ? '승인할 요청이 없습니다.' : '요청이 없습니다.'));
      return;
    }
    r.items.forEach((item) => body.appendChild(row(item)));
  }

  function cell(label, content, cls) {
    return h('td', { 'data-label': label, class: cls || null }, content);
  }

  function row(item) {
    const status = h('div', {}, CD.badge(item.statusLabel, KIND[item.status]));
    if (item.decider && item.status !== 'PENDING') status.appendChild(h('div', { class: 'small text-body-secondary', text: item.decider + (item.decidedAt ? ' · ' + item.decidedAt : '') }));
    if (item.decisionReason) status.appendChild(h('div', { class: 'small', text: '반려 사유: ' + item.decisionReason }));
    if (item.result) status.appendChild(h('div', { class: 'small ' + (item.status === 'EXECUTION_FAILED' ? 'text-danger' : 'text-body-secondary'), 'data-role': 'result', text: item.result }));
    const actions = [];
    if (item.canApprove) {
      actions.push(button('승인', 'btn-primary', 'approve', (b) => approve(item, b)));
      actions.push(button('반려', 'btn-outline-danger', 'reject', (b) => reject(item, b)));
    }
    if (item.canWithdraw) actions.push(button('요청 취소', 'btn-outline-secondary', 'withdraw', (b) => withdraw(item, b)));
    const target = item.campaignId ? h('a', { href: 'campaign.html?id=' + item.campaignId, text: item.target || '#' + item.campaignId }) : item.target;
    return h(
      'tr',
      { dataset: { request: String(item.id), status: item.status } },
      cell(COLUMNS[0], item.requestedAt),
      cell(COLUMNS[1], item.requester || '-'),
      cell(COLUMNS[2], item.kindLabel),
      cell(COLUMNS[3], target),
      cell(COLUMNS[4], item.content || '-'),
      cell(COLUMNS[5], h('span', { class: 'text-break', text: item.memo || '-' })),
      cell(COLUMNS[6], item.expiresAt),
      cell(COLUMNS[7], status),
      cell(COLUMNS[8], h('div', { class: 'd-flex flex-wrap gap-1' }, actions))
    );
  }

  function button(text, cls, action, run) {
    const b = h('button', { type: 'button', class: 'btn btn-sm ' + cls, 'data-action': action, text });
    b.addEventListener('click', () => run(b));
    return b;
  }

  async function approve(item, b, confirmNight) {
    CD.alert(CD.$('#action-alert'), null);
    if (!confirmNight && !(await CD.confirm('[' + item.kindLabel + '] ' + (item.target || '') + '\n승인하면 바로 처리됩니다. 승인하시겠습니까?', { title: '승인', okText: '승인', cancelText: '닫기' }))) return;
    try {
      const r = await CD.busy(b, null, () => CD.api('POST', '/api/approvals/' + item.id + '/approve', { body: { confirmNight: !!confirmNight } }));
      done(r.message, r.executed ? 'success' : 'danger');
    } catch (e) {
      if (e.code === 'night_confirmation_required' && !confirmNight) {
        if (await CD.confirm(e.detail, { title: '야간 재발송', okText: '승인', cancelText: '닫기' })) await approve(item, b, true);
        return;
      }
      showError(e);
      await load();
    }
  }

  async function reject(item, b) {
    CD.alert(CD.$('#action-alert'), null);
    const input = h('input', { type: 'text', class: 'form-control', id: 'reject-reason', maxlength: '200', 'aria-label': '반려 사유' });
    const extra = h('div', { class: 'mt-2' }, h('label', { for: 'reject-reason', class: 'form-label small', text: '반려 사유 (필수)' }), input);
    const ok = await CD.confirm('[' + item.kindLabel + '] ' + (item.target || '') + ' 요청을 반려합니다.', {
      title: '반려',
      danger: true,
      okText: '반려',
      cancelText: '닫기',
      extra,
      validate: async () => {
        const valid = input.value.trim().length > 0;
        input.classList.toggle('is-invalid', !valid);
        if (!valid) input.focus();
        return valid;
      }
    });
    if (!ok) return;
    try {
      const r = await CD.busy(b, null, () => CD.api('POST', '/api/approvals/' + item.id + '/reject', { body: { reason: input.value.trim() } }));
      done(r.message, 'success');
    } catch (e) {
      showError(e);
      await load();
    }
  }

  async function withdraw(item, b) {
    CD.alert(CD.$('#action-alert'), null);
    if (!(await CD.confirm('[' + item.kindLabel + '] ' + (item.target || '') + ' 승인 요청을 취소하시겠습니까?', { title: '요청 취소', okText: '요청 취소', cancelText: '닫기' }))) return;
    try {
      const r = await CD.busy(b, null, () => CD.api('POST', '/api/approvals/' + item.id + '/withdraw'));
      done(r.message, 'success');
    } catch (e) {
      showError(e);
      await load();
    }
  }

  function done(message, kind) {
    const box = CD.$('#action-alert');
    CD.alert(box, message, kind);
    box.focus();
    CD.toast(message);
    if (CD.approvalsChanged) CD.approvalsChanged();
    load().catch(showError);
  }

  function showError(e) {
    if (e.redirected) return;
    const box = CD.$('#action-alert');
    CD.alert(box, e.detail, 'danger');
    box.focus();
  }
})();

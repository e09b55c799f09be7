// 감사로그 (spec §3.7), ADMIN only: filters (default today, KST), cursor paging by 50, detail per row, CSV export
// (the export is itself audited by the server).
(function () {
  'use strict';
  const CD = window.CD;
  const state = { cursor: null, shown: 0, query: {} };
  const OUTCOMES = { SUCCESS: ['성공', 'success'], FAILURE: ['실패', 'danger'], DENIED: ['거부', 'warning'] };

  CD.page({
    id: 'audit',
    roles: ['ADMIN'],
    async init() {
      const form = CD.$('#audit-filter');
      const today = CD.fmt.todayKst();
      const options = { locale: 'ko', dateFormat: 'Y-m-d', allowInput: true, disableMobile: true };
      window.flatpickr(form.from, Object.assign({ defaultDate: today }, options));
      window.flatpickr(form.to, Object.assign({ defaultDate: today }, options));
      await loadActions(form.action);
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        search(form, true);
      });
      CD.$('#audit-more').addEventListener('click', () => search(form, false));
      CD.$('#audit-export').addEventListener('click', (event) => exportCsv(event.currentTarget, form));
      await search(form, true);
    }
  });

  // 행위 유형: the server's list of action codes with their Korean names, grouped (the code shows on hover).
  async function loadActions(select) {
    let actions = [];
    try {
      actions = await CD.api('GET', '/api/audit/actions');
    } catch (error) {
      if (!error.redirected) CD.alert(CD.$('[data-role=form-alert]'), error.detail, 'danger');
      return;
    }
    const groups = new Map();
    actions.forEach((a) => {
      if (!groups.has(a.group)) groups.set(a.group, CD.h('optgroup', { label: a.group }));
      groups.get(a.group).appendChild(CD.h('option', { value: a.code, title: a.code, text: a.name }));
    });
    groups.forEach((group) => select.appendChild(group));
  }

  function filters(form) {
    const q = {};
    ['from', 'to', 'actor', 'action', 'targetType', 'targetId', 'outcome', 'ip'].forEach((name) => {
      const value = form[name].value.trim();
      if (value) q[name] = value;
    });
    return q;
  }

  async function search(form, fresh) {
    CD.forms.clearErrors(form);
    if (fresh) {
      state.query = filters(form);
      state.cursor = null;
      state.shown = 0;
    }
    let page;
    try {
      page = await CD.api('GET', '/api/audit', { query: Object.assign({ cursor: state.cursor }, state.query) });
    } catch (error) {
      if (!error.redirected) CD.forms.showError(form, error);
      return;
    }
    const body = CD.$('#audit-table tbody');
    if (fresh) CD.clear(body);
    page.items.forEach((item) => rows(item).forEach((r) => body.appendChild(r)));
    state.shown += page.items.length;
    state.cursor = page.nextCursor;
    if (!state.shown) body.appendChild(CD.emptyRow(9));
    CD.$('#audit-count').textContent = '조회 결과 (표시 ' + CD.fmt.number(state.shown) + '건' + (page.nextCursor ? ', 더 있음' : '') + ')';
    CD.$('#audit-more-box').hidden = !page.nextCursor;
  }

  function rows(item) {
    const h = CD.h;
    const detailId = 'audit-detail-' + item.id;
    const toggle = h('button', { type: 'button', class: 'btn btn-sm btn-link', 'aria-expanded': 'false', 'aria-controls': detailId, 'aria-label': '상세 보기' }, CD.icon('fa-chevron-down'));
    const detailLines = [
      ['요청 ID', item.correlationId],
      ['사용자 에이전트', item.userAgent],
      ['대상', (item.targetType || '-') + ' / ' + (item.targetId || '-')]
    ];
    let details = item.details;
    try {
      details = details ? JSON.stringify(JSON.parse(details), null, 2) : null;
    } catch (e) {
      // not JSON: shown as it is
    }
    const detail = h(
      'tr',
      { id: detailId, hidden: true, class: 'table-light' },
      h(
        'td',
        { colspan: '9' },
        h('dl', { class: 'row small mb-2' }, detailLines.map(([k, v]) => [h('dt', { class: 'col-sm-2 fw-normal text-body-secondary', text: k }), h('dd', { class: 'col-sm-10 mb-1 text-break', text: v || '-' })])),
        details ? h('pre', { class: 'cd-details', text: details }) : null
      )
    );
    toggle.addEventListener('click', () => {
      detail.hidden = !detail.hidden;
      toggle.setAttribute('aria-expanded', String(!detail.hidden));
      CD.clear(toggle).appendChild(CD.icon(detail.hidden ? 'fa-chevron-down' : 'fa-chevron-up'));
    });
    const main = h(
      'tr',
      {},
      h('td', { class: 'text-nowrap', text: CD.fmt.dateTimeSeconds(item.occurredAt) }),
      h('td', { text: item.actor || '-' }),
      h('td', { title: item.action, dataset: { action: item.action } }, item.actionLabel || item.action),
      h('td', { class: 'cd-truncate', title: (item.targetType || '') + ' ' + (item.targetId || ''), text: item.targetType ? (item.targetTypeLabel || item.targetType) + (item.targetId ? ' #' + item.targetId : '') : '-' }),
      h('td', { text: item.subject || '-' }),
      h('td', { class: 'cd-mono', text: item.sourceIp || '-' }),
      h('td', {}, CD.badge.apply(null, OUTCOMES[item.outcome] || [item.outcome, 'secondary'])),
      h('td', { class: 'cd-truncate', title: item.reason || '', text: item.reasonLabel || item.reason || '-' }),
      h('td', { class: 'text-end' }, toggle)
    );
    return [main, detail];
  }

  async function exportCsv(button, form) {
    await CD.busy(button, '내보내는 중...', async () => {
      try {
        await CD.download('/api/audit/export.csv', filters(form), 'audit.csv');
        CD.toast('내보내기가 완료되었습니다.');
      } catch (error) {
        if (!error.redirected) CD.forms.showError(form, error);
      }
    });
  }
})();

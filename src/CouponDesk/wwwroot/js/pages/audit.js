// 감사로그 (spec §3.7), ADMIN only: filters (default today, KST), cursor paging by 50, detail per row, CSV export
// (the export is itself audited by the server).
(function () {
  'use strict';
  const CD = window.CD;
  const state = { cursor: null, shown: 0, query: {} };
  // Korean names of the recorded actions; an action not listed here is shown by its code.
  const ACTIONS = {
    'auth.login': '로그인',
    'auth.logout': '로그아웃',
    'auth.session_expired': '세션 만료',
    'auth.session_ended': '세션 종료',
    'auth.password_changed': '비밀번호 변경',
    'authz.denied': '권한 없음',
    'user.created': '사용자 등록',
    'user.updated': '사용자 수정',
    'user.viewed_personal_data': '사용자 개인정보 조회',
    'user.locked': '계정 잠금',
    'user.unlocked': '잠금 해제',
    'user.password_reset': '비밀번호 초기화',
    'user.sessions_ended': '세션 강제 종료',
    'audit.searched': '감사로그 조회',
    'audit.exported': '감사로그 내보내기',
    'audit.purged': '감사로그 보존기간 정리',
    'pii.key_rotation': '암호화 키 교체',
    'pii.purged': '개인정보 파기'
  };
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
      const list = CD.$('#action-list');
      Object.keys(ACTIONS).forEach((a) => list.appendChild(CD.h('option', { value: a, label: ACTIONS[a] })));
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        search(form, true);
      });
      CD.$('#audit-more').addEventListener('click', () => search(form, false));
      CD.$('#audit-export').addEventListener('click', (event) => exportCsv(event.currentTarget, form));
      await search(form, true);
    }
  });

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
      h('td', { title: item.action }, ACTIONS[item.action] || item.action),
      h('td', { class: 'cd-truncate', title: (item.targetType || '') + ' ' + (item.targetId || ''), text: item.targetType ? item.targetType + (item.targetId ? ' #' + item.targetId : '') : '-' }),
      h('td', { text: item.subject || '-' }),
      h('td', { class: 'cd-mono', text: item.sourceIp || '-' }),
      h('td', {}, CD.badge.apply(null, OUTCOMES[item.outcome] || [item.outcome, 'secondary'])),
      h('td', { class: 'cd-truncate', title: item.reason || '', text: item.reason || '-' }),
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

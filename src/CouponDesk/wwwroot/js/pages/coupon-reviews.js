// 쿠폰 상태 확인 (spec §4.3 rule, issue 17): status answers that contradicted our record (applied: the supplier's word
// wins) or could not be applied (malformed value, coupon unknown at COUFUN). ADMIN only: the card stays hidden for others
// and the server refuses them. [확인] marks a row reviewed (audited); the dashboard counts the rows not yet reviewed.
(function () {
  'use strict';
  const CD = window.CD;
  const state = { table: null, all: false };

  CD.couponReviews = {
    async init(me) {
      if (me.role !== 'ADMIN') return;
      CD.$('#coupon-reviews').hidden = false;
      CD.$('#reviews-all').addEventListener('change', (e) => {
        state.all = e.currentTarget.checked;
        search(false);
      });
      CD.$('#reviews-more').addEventListener('click', () => search(true));
      await search(false);
      if (window.location.hash === '#coupon-reviews') CD.$('#coupon-reviews').scrollIntoView();
    }
  };

  async function search(more) {
    state.table =
      state.table ||
      CD.keysetTable({
        path: '/api/coupons/status-reviews',
        query: () => ({ state: state.all ? 'all' : 'open' }),
        body: CD.$('#reviews-table tbody'),
        columns: 8,
        row,
        countEl: CD.$('#reviews-count'),
        count: (shown, more) => '조회 결과 ' + CD.fmt.number(shown) + '건' + (more ? ' 이상' : ''),
        moreBox: CD.$('#reviews-more-box'),
        pageSize: 50
      });
    try {
      await state.table.search(more);
    } catch (e) {
      if (!e.redirected) CD.alert(CD.$('#reviews-alert'), e.detail, 'danger');
    }
  }

  function balance(value) {
    return value === null || value === undefined ? '' : ' (잔액 ' + CD.fmt.won(value) + ')';
  }

  function row(item) {
    const h = CD.h;
    const done = item.reviewedAt
      ? h('span', { class: 'small text-body-secondary', text: '확인 ' + CD.fmt.dateTime(item.reviewedAt) })
      : h('button', { type: 'button', class: 'btn btn-sm btn-outline-primary', dataset: { action: 'acknowledge' }, text: '확인', on: { click: (e) => acknowledge(e.currentTarget, item) } });
    return h(
      'tr',
      { dataset: { review: String(item.id) } },
      h('td', { class: 'small text-nowrap', text: CD.fmt.dateTime(item.occurredAt) }),
      h('td', { class: 'font-monospace text-nowrap', text: item.couponMasked }),
      h('td', {}, item.campaignId ? h('a', { href: 'campaign.html?id=' + encodeURIComponent(item.campaignId), text: '#' + item.campaignId }) : h('span', { text: '-' }), h('div', { class: 'small text-body-secondary cd-truncate', text: item.eventName || '' })),
      h('td', {}, CD.badge(item.reviewLabel, item.review === 'CONFLICT' ? 'warning' : 'danger')),
      h('td', { class: 'text-nowrap', text: item.sourceLabel }),
      h('td', { class: 'small text-nowrap', text: item.oldStatusLabel + balance(item.oldBalance) + ' → ' + item.newStatusLabel + balance(item.newBalance) }),
      h('td', { class: 'small cd-truncate', title: item.note || '', text: item.note || '-' }),
      h('td', { class: 'text-nowrap' }, done)
    );
  }

  async function acknowledge(button, item) {
    try {
      await CD.busy(button, null, () => CD.api('POST', '/api/coupons/status-reviews/' + item.id + '/acknowledge'));
      CD.toast('확인 처리했습니다.');
      const tr = CD.$('#reviews-table tbody tr[data-review="' + item.id + '"]');
      if (tr && !state.all) state.table.remove(tr);
      else if (tr) tr.replaceWith(row(Object.assign({}, item, { reviewedAt: new Date().toISOString() })));
    } catch (e) {
      if (!e.redirected) CD.alert(CD.$('#reviews-alert'), e.detail, 'danger');
    }
  }
})();

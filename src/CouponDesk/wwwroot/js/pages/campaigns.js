// 발송조회 (spec §3.3.1/§3.3.2): campaigns filtered by send date, client, event and state, newest first, with a link
// to each campaign's detail. Paging by cursor ("더 보기").
(function () {
  'use strict';
  const CD = window.CD;
  const PAGE_SIZE = 50;
  const state = { cursor: null, shown: 0, filter: {} };

  CD.page({
    id: 'campaigns',
    async init() {
      const form = CD.$('#campaign-filter');
      const select = CD.$('#status');
      CD.campaignStates.forEach((s) => select.appendChild(CD.h('option', { value: s.code, text: s.label })));
      // Default: the last seven days with no upper bound, so future scheduled campaigns show (spec §3.3.1).
      const from = CD.fmt.toDate(CD.fmt.todayKst() + 'T00:00:00+09:00');
      const options = { locale: 'ko', dateFormat: 'Y-m-d', allowInput: true, disableMobile: true };
      window.flatpickr(form.from, options).setDate(CD.fmt.date(new Date(from.getTime() - 6 * 86400000)), false, 'Y-m-d');
      window.flatpickr(form.to, options);
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        search(form, false).catch((e) => CD.forms.showError(form, e));
      });
      CD.$('#campaign-more').addEventListener('click', () => search(form, true).catch((e) => CD.forms.showError(form, e)));
      await search(form, false);
    }
  });

  async function search(form, more) {
    CD.forms.clearErrors(form);
    if (!more) {
      state.filter = {
        from: form.from.value,
        to: form.to.value,
        clientName: form.clientName.value.trim(),
        eventName: form.eventName.value.trim(),
        status: form.status.value
      };
      state.cursor = null;
    }
    const result = await CD.api('GET', '/api/campaigns', { query: Object.assign({ limit: PAGE_SIZE, cursor: state.cursor }, state.filter) });
    const body = CD.$('#campaign-table tbody');
    if (!more) {
      CD.clear(body);
      state.shown = 0;
    }
    result.items.forEach((item) => body.appendChild(row(item, ++state.shown)));
    if (state.shown === 0) body.appendChild(CD.emptyRow(10));
    state.cursor = result.nextCursor;
    CD.$('#campaign-count').textContent = '조회 결과 (' + CD.fmt.number(state.shown) + '건' + (result.nextCursor ? ' 이상' : '') + ')';
    CD.$('#campaign-more-box').hidden = !result.nextCursor;
  }

  function truncated(text) {
    return CD.h('td', { class: 'cd-truncate', title: text || '', text: text || '-' });
  }

  function row(item, no) {
    const h = CD.h;
    return h(
      'tr',
      { dataset: { campaign: String(item.id) } },
      h('td', { text: String(no) }),
      h('td', { text: CD.fmt.dateTime(item.sendAtUtc) }),
      truncated(item.clientName),
      truncated(item.eventName),
      truncated(item.productName),
      h('td', { class: 'text-end', text: CD.fmt.number(item.recipientCount) }),
      h('td', { class: 'text-end', text: CD.fmt.won(item.listPrice) }),
      h('td', { class: 'text-end', text: CD.fmt.won(item.total) }),
      h('td', {}, CD.campaignBadge(item.status, item.statusLabel)),
      h('td', {}, h('a', { class: 'btn btn-sm btn-outline-primary', href: 'campaign.html?id=' + encodeURIComponent(item.id), text: '보기' }))
    );
  }
})();

// 발송조회 (spec §3.3.1/§3.3.2): campaigns filtered by send date, client, event and state, newest first, with a link
// to each campaign's detail, sorted by 발송일시 (either direction). Paging by cursor ("더 보기"). ADMIN/OPERATOR get
// 일시정지 / 재개 on the rows whose state allows it (P8); the server decides in the end.
(function () {
  'use strict';
  const CD = window.CD;
  const PAGE_SIZE = 50;
  const STAFF = ['ADMIN', 'OPERATOR'];
  const state = { cursor: null, shown: 0, filter: {}, sort: 'sendAt', direction: 'desc', me: null };

  CD.page({
    id: 'campaigns',
    async init(me) {
      state.me = me;
      const form = CD.$('#campaign-filter');
      // 상태 is a multi-select of the campaign states (spec §3.3.1); none ticked = all.
      const menu = CD.$('#status-menu');
      CD.campaignStates.forEach((s) => {
        const id = 'status-' + s.code;
        menu.appendChild(
          CD.h('div', { class: 'form-check' }, CD.h('input', { class: 'form-check-input', type: 'checkbox', id, value: s.code, dataset: { label: s.label } }), CD.h('label', { class: 'form-check-label text-nowrap', for: id, text: s.label }))
        );
      });
      menu.addEventListener('change', drawStatusButton);
      // Default: the last seven days with no upper bound, so future scheduled campaigns show (spec §3.3.1).
      const from = CD.fmt.toDate(CD.fmt.todayKst() + 'T00:00:00+09:00');
      const options = { locale: 'ko', dateFormat: 'Y-m-d', allowInput: true, disableMobile: true };
      const fromPicker = window.flatpickr(form.from, options);
      fromPicker.setDate(CD.fmt.date(new Date(from.getTime() - 6 * 86400000)), false, 'Y-m-d');
      const toPicker = window.flatpickr(form.to, options);
      // 오늘 / 7일 / 30일 (issue 18 point 4): the start moves to today − (n − 1) in KST, the end stays open like the
      // default, so scheduled campaigns still show (D-LIST-3); the search runs at once.
      CD.$$('#date-presets button').forEach((button) =>
        button.addEventListener('click', () => {
          const days = Number(button.dataset.days);
          fromPicker.setDate(CD.fmt.date(new Date(from.getTime() - (days - 1) * 86400000)), false, 'Y-m-d');
          toPicker.clear();
          CD.$$('#date-presets button').forEach((b) => b.classList.toggle('active', b === button));
          search(form, false).catch((e) => CD.forms.showError(form, e));
        })
      );
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        search(form, false).catch((e) => CD.forms.showError(form, e));
      });
      CD.$('#campaign-more').addEventListener('click', () => search(form, true).catch((e) => CD.forms.showError(form, e)));
      // Sortable columns (spec §3.3.2): a click on the sorted column turns the direction, on another one sorts by it
      // (발송일시 newest first, the others ascending); the server pages in that order.
      CD.$$('#campaign-table [data-sort]').forEach((button) =>
        button.addEventListener('click', () => {
          const sort = button.dataset.sort;
          if (sort === state.sort) state.direction = state.direction === 'desc' ? 'asc' : 'desc';
          else {
            state.sort = sort;
            state.direction = sort === 'sendAt' ? 'desc' : 'asc';
          }
          drawSortHeader();
          search(form, false).catch((e) => CD.forms.showError(form, e));
        })
      );
      CD.$('#campaign-list-export').addEventListener('click', (e) => exportList(e.currentTarget));
      await search(form, false);
    }
  });

  function checkedStatuses() {
    return CD.$$('#status-menu input:checked').map((input) => input.value);
  }

  function drawStatusButton() {
    const labels = CD.$$('#status-menu input:checked').map((input) => input.dataset.label);
    CD.$('#status').textContent = labels.length === 0 ? '전체' : labels.length <= 2 ? labels.join(', ') : labels[0] + ' 외 ' + (labels.length - 1) + '개';
  }

  async function search(form, more) {
    CD.forms.clearErrors(form);
    if (!more) {
      state.filter = {
        from: form.from.value,
        to: form.to.value,
        clientName: form.clientName.value.trim(),
        eventName: form.eventName.value.trim(),
        status: checkedStatuses().join(',')
      };
      state.filter.sort = state.sort;
      state.filter.direction = state.direction;
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

  function drawSortHeader() {
    const asc = state.direction === 'asc';
    CD.$$('#campaign-table [data-sort]').forEach((button) => {
      const active = button.dataset.sort === state.sort;
      const header = button.closest('th');
      if (active) header.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
      else header.removeAttribute('aria-sort');
      const icon = CD.$('i', button);
      icon.className = 'fa-solid ' + (!active ? 'fa-sort text-body-tertiary' : asc ? 'fa-sort-up' : 'fa-sort-down');
    });
  }

  async function exportList(button) {
    const alertBox = CD.$('#campaign-list-alert');
    CD.alert(alertBox, null);
    try {
      await CD.busy(button, null, () => CD.exports.request('/api/campaigns/export', { query: state.filter }));
    } catch (e) {
      if (!e.redirected) CD.alert(alertBox, e.detail, 'danger');
    }
  }

  const controls = {
    pause: { label: '일시정지', states: ['ISSUING', 'SENDING'], text: '발송을 일시정지하시겠습니까? 아직 통신사로 넘어가지 않은 메시지는 보류됩니다.', done: '발송을 일시정지했습니다.' },
    resume: { label: '재개', states: ['PAUSED', 'ERROR'], text: '발송을 재개하시겠습니까?', done: '발송을 재개했습니다.' }
  };

  // 예약 해제 (SCHEDULED → DRAFT, until the start) and 삭제 (a DRAFT, soft delete) — spec §3.2.4, the API's own rules.
  const edits = {
    unschedule: {
      label: '예약 해제',
      states: ['SCHEDULED'],
      text: '예약을 해제하시겠습니까? 임시저장 상태로 돌아가며 수정 후 다시 발송 요청할 수 있습니다.',
      done: '예약을 해제했습니다.',
      call: (item) => CD.api('POST', '/api/campaigns/' + encodeURIComponent(item.id) + '/unschedule')
    },
    delete: {
      label: '삭제',
      states: ['DRAFT'],
      text: '임시저장된 발송 건을 삭제하시겠습니까?',
      done: '삭제되었습니다.',
      danger: true,
      call: (item) => CD.api('DELETE', '/api/campaigns/' + encodeURIComponent(item.id))
    }
  };

  async function edit(button, item, action) {
    const c = edits[action];
    const alertBox = CD.$('#campaign-list-alert');
    CD.alert(alertBox, null);
    if (!(await CD.confirm('[' + item.clientName + '] ' + item.eventName + '\n' + c.text, { title: c.label, danger: c.danger, okText: c.label }))) return;
    try {
      await CD.busy(button, null, () => c.call(item));
      CD.toast(c.done);
      await search(CD.$('#campaign-filter'), false);
    } catch (e) {
      if (!e.redirected) {
        CD.alert(alertBox, e.detail, 'danger');
        alertBox.focus();
      }
    }
  }

  async function control(button, item, action) {
    const c = controls[action];
    const alertBox = CD.$('#campaign-list-alert');
    CD.alert(alertBox, null);
    if (!(await CD.confirm('[' + item.clientName + '] ' + item.eventName + '\n' + c.text, { title: c.label }))) return;
    try {
      await CD.busy(button, null, () => CD.api('POST', '/api/campaigns/' + encodeURIComponent(item.id) + '/pipeline/' + action));
      CD.toast(c.done);
      await search(CD.$('#campaign-filter'), false);
    } catch (e) {
      if (!e.redirected) {
        CD.alert(alertBox, e.detail, 'danger');
        alertBox.focus();
      }
    }
  }

  function actions(item) {
    const h = CD.h;
    const cell = h('td', { class: 'text-nowrap' }, h('a', { class: 'btn btn-sm btn-outline-primary', href: 'campaign.html?id=' + encodeURIComponent(item.id), text: '보기' }));
    if (state.me && STAFF.indexOf(state.me.role) >= 0) {
      Object.keys(controls).forEach((action) => {
        if (controls[action].states.indexOf(item.status) < 0) return;
        const button = h('button', { type: 'button', class: 'btn btn-sm btn-outline-secondary ms-1', dataset: { action }, text: controls[action].label });
        button.addEventListener('click', () => control(button, item, action));
        cell.appendChild(button);
      });
      Object.keys(edits).forEach((action) => {
        if (edits[action].states.indexOf(item.status) < 0) return;
        const button = h('button', { type: 'button', class: 'btn btn-sm ms-1 ' + (edits[action].danger ? 'btn-outline-danger' : 'btn-outline-secondary'), dataset: { action }, text: edits[action].label });
        button.addEventListener('click', () => edit(button, item, action));
        cell.appendChild(button);
      });
    }
    return cell;
  }

  // 유효기간 (spec §3.3.2): "예상" while a type-D campaign is not issued yet, "(만료)" in red once the date is past (KST).
  function validity(item) {
    const h = CD.h;
    if (!item.validUntil) return h('td', { text: '-' });
    const cell = h('td', { class: 'text-nowrap', text: item.validUntil });
    if (item.validUntilEstimated) cell.appendChild(h('span', { class: 'text-body-secondary small ms-1', text: '예상' }));
    if (item.validUntil < CD.fmt.todayKst()) cell.appendChild(h('span', { class: 'text-danger small ms-1', text: '(만료)' }));
    return cell;
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
      validity(item),
      truncated(item.clientName),
      truncated(item.eventName),
      truncated(item.productName),
      h('td', { class: 'text-end', text: CD.fmt.number(item.recipientCount) }),
      h('td', { class: 'text-end', text: CD.fmt.won(item.listPrice) }),
      h('td', { class: 'text-end', text: CD.fmt.won(item.total) }),
      h('td', {}, CD.campaignBadge(item.status, item.statusLabel)),
      actions(item)
    );
  }
})();

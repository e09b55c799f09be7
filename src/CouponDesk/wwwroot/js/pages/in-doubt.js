// 발급 확인 필요 (spec §3.10, P23): COUFUN create calls whose answer was lost. ADMIN and OPERATOR see the list, the
// supplier CSV and the day's reconciliation; only ADMIN settles (미발급 확인 / 발급됨 확인 with the coupon numbers the
// supplier gives, which are then cancelled at COUFUN) and retries failed cancels. Nothing here resends anything.
(function () {
  'use strict';
  const CD = window.CD;
  const PAGE_SIZE = 50;
  const state = { table: null, status: 'open', admin: false };
  const stateKinds = { OPEN: 'warning', NOT_ISSUED: 'secondary', ISSUED: 'info', CLOSED: 'success' };

  CD.page({
    id: 'in-doubt',
    roles: ['ADMIN', 'OPERATOR'],
    async init(me) {
      state.admin = me.role === 'ADMIN';
      const form = CD.$('#in-doubt-filter');
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        search(form, false).catch((e) => CD.forms.showError(form, e));
      });
      CD.$('#in-doubt-more').addEventListener('click', () => search(form, true).catch((e) => CD.forms.showError(form, e)));
      const exportButton = CD.$('#in-doubt-export');
      exportButton.addEventListener('click', () =>
        CD.busy(exportButton, '내려받는 중…', () => CD.download('/api/in-doubt-orders/export.csv', { status: form.status.value }, 'in-doubt-orders.csv')).catch((e) =>
          CD.forms.showError(form, e)
        )
      );

      const daily = CD.$('#daily-form');
      window.flatpickr(daily.date, { locale: 'ko', dateFormat: 'Y-m-d', allowInput: true, disableMobile: true, defaultDate: CD.fmt.todayKst() });
      daily.addEventListener('submit', (event) => {
        event.preventDefault();
        loadDaily(daily).catch((e) => CD.forms.showError(daily, e));
      });
      // 공급사 취소 실패 (coupon-cancels.js) lives on this page too: the other thing an ADMIN settles with the supplier.
      await Promise.all([search(form, false), loadDaily(daily), CD.couponCancels.init(me), CD.couponReviews.init(me)]);
    }
  });

  async function search(form, more) {
    CD.forms.clearErrors(form);
    if (!more) state.status = form.status.value;
    state.table =
      state.table ||
      CD.keysetTable({
        path: '/api/in-doubt-orders',
        query: () => ({ status: state.status }),
        body: CD.$('#in-doubt-table tbody'),
        columns: 10,
        row,
        countEl: CD.$('#in-doubt-count'),
        count: (shown, more) => '조회 결과 (' + CD.fmt.number(shown) + '건' + (more ? ' 이상' : '') + ')',
        moreBox: CD.$('#in-doubt-more-box'),
        pageSize: PAGE_SIZE
      });
    await state.table.search(more);
  }

  function row(item) {
    const h = CD.h;
    const cancels = item.cancels.length
      ? h(
          'ul',
          { class: 'list-unstyled small mb-0 mt-1' },
          item.cancels.map((c) => h('li', { text: c.couponNumber + ' · ' + c.statusLabel + (c.resultMessage && c.status !== 'DONE' ? ' (' + c.resultMessage + ')' : '') }))
        )
      : null;
    return h(
      'tr',
      { dataset: { order: String(item.id) } },
      h('td', { text: item.requestedAtKst }),
      h('td', {}, h('a', { href: 'campaign.html?id=' + encodeURIComponent(item.campaignId), text: '#' + item.campaignId }), h('div', { class: 'small text-body-secondary cd-truncate', text: item.eventName || '' })),
      h('td', { class: 'font-monospace small', text: item.trId || '-' }),
      h('td', { class: 'text-end', text: CD.fmt.number(item.createCount) }),
      h('td', { class: 'text-end', text: CD.fmt.won(item.value) }),
      h('td', { class: 'small cd-truncate', title: item.error, text: item.error }),
      h('td', {}, CD.badge(item.stateLabel, stateKinds[item.state]), cancels),
      h('td', { text: item.settledBy ? item.settledBy + ' (' + CD.fmt.dateTime(item.settledAt) + ')' : '-' }),
      h('td', { class: 'small cd-truncate', title: item.memo || '', text: item.memo || '-' }),
      h('td', {}, actions(item))
    );
  }

  // What a role may not do is not offered (P23: settle is ADMIN only); the server refuses it anyway.
  function actions(item) {
    if (!state.admin) return CD.h('span', { class: 'text-body-secondary small', text: '조회 전용' });
    if (item.status === 'IN_DOUBT') {
      const settle = CD.h('button', { type: 'button', class: 'btn btn-sm btn-primary', dataset: { action: 'settle' }, text: '정리' });
      settle.addEventListener('click', () => openSettle(item));
      return settle;
    }
    if (item.cancels.some((c) => c.status === 'FAILED' || c.status === 'PENDING')) {
      const retry = CD.h('button', { type: 'button', class: 'btn btn-sm btn-outline-warning', dataset: { action: 'retry' }, text: '취소 재시도' });
      retry.addEventListener('click', () => {
        const box = CD.$('#action-alert');
        CD.alert(box, null);
        CD.busy(retry, '처리 중…', () => CD.api('POST', '/api/in-doubt-orders/' + item.id + '/cancels/retry'))
          .then((updated) => {
            CD.toast('쿠폰 취소를 다시 시도했습니다.');
            replaceRow(updated);
          })
          .catch((e) => {
            CD.alert(box, e.detail || CD.messages.apiFailed, 'danger');
            box.focus();
          });
      });
      return retry;
    }
    return CD.h('span', { class: 'text-body-secondary small', text: '-' });
  }

  function replaceRow(item) {
    const current = CD.$('#in-doubt-table tbody tr[data-order="' + item.id + '"]');
    if (current) current.replaceWith(row(item));
  }

  // The settle dialog: outcome, memo (required) and — for 발급됨 확인 — the coupon numbers the supplier gave, one a line.
  function openSettle(item) {
    const h = CD.h;
    const radio = (value, label, checked) =>
      h('div', { class: 'form-check' }, h('input', { class: 'form-check-input', type: 'radio', name: 'outcome', id: 'outcome-' + value, value, checked }), h('label', { class: 'form-check-label', for: 'outcome-' + value, text: label }));
    const numbersBox = h(
      'div',
      { class: 'mb-2', id: 'numbers-box', hidden: true },
      h('label', { class: 'form-label small mb-1', for: 'couponNumbers', text: '공급사가 알려준 쿠폰번호 (한 줄에 하나, 선택)' }),
      h('textarea', { class: 'form-control font-monospace', id: 'couponNumbers', name: 'couponNumbers', rows: '3', autocomplete: 'off', spellcheck: 'false' }),
      h('div', { class: 'form-text', text: '입력한 쿠폰은 공급사에서 취소됩니다. 수신자에게 다시 발송하지 않습니다.' })
    );
    const form = h(
      'form',
      { id: 'settle-form', novalidate: true },
      h('div', { 'data-role': 'form-alert', tabindex: '-1', hidden: true }),
      h('p', { class: 'small mb-2', text: '요청번호 ' + (item.trId || '-') + ' · 요청 수량 ' + item.createCount + '개 · ' + CD.fmt.won(item.value) }),
      h('fieldset', { class: 'mb-2' }, h('legend', { class: 'form-label small mb-1', text: '공급사 확인 결과' }), radio('NOT_ISSUED', '미발급 확인 (생성된 쿠폰 없음)', true), radio('ISSUED', '발급됨 확인 (쿠폰이 생성됨)', false)),
      numbersBox,
      h('label', { class: 'form-label small mb-1', for: 'memo', text: '메모 (필수)' }),
      h('textarea', { class: 'form-control', id: 'memo', name: 'memo', rows: '3', maxlength: '500', required: true })
    );
    form.addEventListener('submit', (event) => event.preventDefault());
    CD.$$('input[name=outcome]', form).forEach((input) =>
      input.addEventListener('change', () => {
        numbersBox.hidden = form.outcome.value !== 'ISSUED';
      })
    );
    let settled = null;
    CD.confirm('주문 #' + item.id + '을(를) 정리합니다.', {
      title: '발급 확인 정리',
      okText: '정리',
      extra: form,
      async validate() {
        CD.forms.clearErrors(form);
        const memo = form.memo.value.trim();
        if (!memo) {
          CD.forms.fieldError(form, 'memo', '메모를 입력해 주세요.').focus();
          return false;
        }
        const outcome = form.outcome.value;
        const numbers = outcome === 'ISSUED' ? form.couponNumbers.value.split(/\r?\n/).map((s) => s.trim()).filter((s) => s) : [];
        const ok = CD.$('.modal.show .modal-footer .btn-primary');
        try {
          settled = await CD.busy(ok, '처리 중…', () => CD.api('POST', '/api/in-doubt-orders/' + item.id + '/settle', { body: { outcome, memo, couponNumbers: numbers } }));
          return true;
        } catch (e) {
          CD.forms.showError(form, numbersErrors(e));
          return false;
        }
      }
    }).then((done) => {
      if (!done || !settled) return;
      const failed = settled.cancels.filter((c) => c.status === 'FAILED');
      CD.toast('정리되었습니다.');
      if (failed.length) CD.alert(CD.$('#action-alert'), '쿠폰 취소에 실패한 번호가 있습니다: ' + failed.map((c) => c.couponNumber).join(', ') + '. [취소 재시도]로 다시 시도해 주세요.', 'warning');
      if (state.status === 'open') CD.$('#in-doubt-table tbody tr[data-order="' + item.id + '"]').remove();
      else replaceRow(settled);
    });
  }

  // Errors on one number ("couponNumbers[2]") are shown under the numbers field, naming the line.
  function numbersErrors(error) {
    if (!error || !error.errors) return error;
    const errors = {};
    Object.keys(error.errors).forEach((key) => {
      const match = /^couponNumbers\[(\d+)\]$/.exec(key);
      const target = match ? 'couponNumbers' : key;
      const text = [].concat(error.errors[key]).join(' ');
      errors[target] = (errors[target] ? errors[target] + ' ' : '') + (match ? Number(match[1]) + 1 + '번째 줄: ' : '') + text;
    });
    return Object.assign({}, error, { errors, detail: error.detail });
  }

  async function loadDaily(form) {
    CD.forms.clearErrors(form);
    const r = await CD.api('GET', '/api/reconciliation/daily', { query: { date: form.date.value.trim() } });
    const h = CD.h;
    const dl = CD.clear(CD.$('#daily-summary'));
    [
      ['날짜', r.date],
      ['발급 확인 필요 (미확인)', CD.fmt.number(r.openInDoubtOrders) + '건 · ' + CD.fmt.won(r.inDoubtValue)],
      ['발급 후 미전달 쿠폰', CD.fmt.number(r.issuedNotDelivered) + '건'],
      ['재전송 권장 실패', CD.fmt.number(r.resendRecommendedFailures) + '건'],
      ['발급 쿠폰', CD.fmt.number(r.couponsIssued) + '건 · 액면 ' + CD.fmt.won(r.issuedValue)],
      ['총 비용', CD.fmt.won(r.totalCost)]
    ].forEach(([term, value]) => {
      dl.appendChild(h('dt', { class: 'col-5 col-md-3', text: term }));
      dl.appendChild(h('dd', { class: 'col-7 col-md-3', text: value }));
    });
    const body = CD.clear(CD.$('#daily-table tbody'));
    r.inDoubtOrders.forEach((o) =>
      body.appendChild(
        h(
          'tr',
          {},
          h('td', { text: CD.fmt.dateTime(o.requestedAt || o.createdAt) }),
          h('td', { class: 'font-monospace small', text: o.trId || '-' }),
          h('td', { text: o.goodsId }),
          h('td', { class: 'text-end', text: CD.fmt.number(o.createCount) }),
          h('td', { class: 'text-end', text: CD.fmt.won(o.value) }),
          h('td', { text: o.status === 'IN_DOUBT' ? '미확인' : '정리됨' })
        )
      )
    );
    if (!r.inDoubtOrders.length) body.appendChild(CD.emptyRow(6));
  }
})();

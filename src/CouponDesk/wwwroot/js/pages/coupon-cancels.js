// 공급사 취소 실패 (spec §4.1 C13, §5.8): coupons of a cancelled campaign that COUFUN refused to cancel, or whose cancel
// kept failing for the whole follow-up window (24 h). Shown on 발급 확인 필요 to ADMIN and OPERATOR; only ADMIN acts:
// [다시 시도] puts a given-up cancel back to the automatic follow-up for another window, [처리 완료] records that it
// was settled with the supplier by other means. Both need a reason and are audited. Coupon numbers come masked.
(function () {
  'use strict';
  const CD = window.CD;
  const PAGE_SIZE = 50;
  const COLUMNS = 10;
  const state = { table: null, filter: 'open', admin: false };
  const stateKinds = { GAVE_UP: 'danger', REFUSED: 'warning', RETRY: 'info', PENDING: 'info', DONE: 'success' };
  // Which rows each filter shows, so a row that changed state can leave the list.
  const filterStates = { open: ['GAVE_UP', 'REFUSED'], GAVE_UP: ['GAVE_UP'], REFUSED: ['REFUSED'], resolved: ['DONE'], all: null };

  CD.couponCancels = {
    async init(me) {
      state.admin = me.role === 'ADMIN';
      const form = CD.$('#cancels-filter');
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        search(form, false).catch((e) => CD.forms.showError(form, e));
      });
      CD.$('#cancels-more').addEventListener('click', () => search(form, true).catch((e) => CD.forms.showError(form, e)));
      await search(form, false).catch((e) => CD.forms.showError(form, e));
      // The dashboard links here (index.html → in-doubt.html#coupon-cancels); the page was hidden while loading.
      if (window.location.hash === '#coupon-cancels') CD.$('#coupon-cancels').scrollIntoView();
    }
  };

  async function search(form, more) {
    CD.forms.clearErrors(form);
    if (!more) state.filter = form.state.value;
    state.table =
      state.table ||
      CD.keysetTable({
        path: '/api/reconciliation/coupon-cancels',
        query: () => ({ state: state.filter }),
        body: CD.$('#cancels-table tbody'),
        columns: COLUMNS,
        row,
        countEl: CD.$('#cancels-count'),
        count: (shown, more) => '조회 결과 ' + CD.fmt.number(shown) + '건' + (more ? ' 이상' : ''),
        moreBox: CD.$('#cancels-more-box'),
        pageSize: PAGE_SIZE
      });
    await state.table.search(more);
  }

  function row(item) {
    const h = CD.h;
    const muted = (text) => h('div', { class: 'small text-body-secondary cd-truncate', text });
    const resolved = item.resolvedAt
      ? h('div', { class: 'small text-body-secondary mt-1', text: '처리: ' + (item.resolvedBy || '-') + ' (' + CD.fmt.dateTime(item.resolvedAt) + ')' })
      : null;
    const reason = item.resolvedReason ? h('div', { class: 'small cd-truncate', title: item.resolvedReason, text: '사유: ' + item.resolvedReason }) : null;
    return h(
      'tr',
      { dataset: { coupon: String(item.couponId) } },
      h('td', { class: 'font-monospace text-nowrap', text: item.couponNumber }),
      h(
        'td',
        {},
        item.campaignId ? h('a', { href: 'campaign.html?id=' + encodeURIComponent(item.campaignId), text: '#' + item.campaignId }) : h('span', { text: '-' }),
        muted(item.eventName || '')
      ),
      h('td', {}, h('span', { class: 'cd-truncate d-block', title: item.goodsName || '', text: item.goodsName || '-' }), muted(item.goodsId)),
      h('td', { class: 'text-end text-nowrap' }, h('span', { text: CD.fmt.won(item.price) }), muted('액면 ' + CD.fmt.won(item.faceValue))),
      h('td', { class: 'text-nowrap', text: item.sourceLabel }),
      h('td', {}, CD.badge(item.stateLabel, stateKinds[item.state]), resolved, reason),
      h('td', { class: 'text-end', text: CD.fmt.number(item.attempts) + (item.manualRetries ? ' (수동 ' + item.manualRetries + ')' : '') }),
      h('td', { class: 'small text-nowrap' }, h('div', { text: CD.fmt.dateTime(item.firstAttemptAt) }), h('div', { text: CD.fmt.dateTime(item.lastAttemptAt) })),
      h('td', { class: 'small cd-truncate', title: item.lastMessage || '', text: item.lastMessage || '-' }),
      h('td', { class: 'text-nowrap' }, actions(item))
    );
  }

  // What a role may not do is not offered (P23: ADMIN only); the server refuses it anyway.
  function actions(item) {
    const h = CD.h;
    if (!state.admin) return h('span', { class: 'text-body-secondary small', text: '조회 전용' });
    const buttons = [];
    if (item.state === 'GAVE_UP') {
      buttons.push(actionButton(item, 'retry', '다시 시도', 'btn-outline-primary'));
    }
    if (item.state === 'GAVE_UP' || item.state === 'REFUSED') {
      buttons.push(actionButton(item, 'resolve', '처리 완료', 'btn-outline-success'));
    }
    return buttons.length ? h('div', { class: 'd-flex gap-1' }, buttons) : h('span', { class: 'text-body-secondary small', text: '-' });
  }

  function actionButton(item, action, label, kind) {
    const button = CD.h('button', { type: 'button', class: 'btn btn-sm ' + kind, dataset: { action }, text: label });
    button.addEventListener('click', () => openAction(item, action));
    return button;
  }

  const dialogs = {
    retry: {
      title: '공급사 취소 다시 시도',
      message: '쿠폰 {n}의 공급사 취소를 다시 시도합니다.\n자동 재시도가 지금부터 24시간 동안 다시 진행됩니다.',
      okText: '다시 시도',
      done: '공급사 취소를 다시 시도합니다.'
    },
    resolve: {
      title: '공급사 취소 처리 완료',
      message: '쿠폰 {n}을(를) 공급사와 별도로 정산(취소)했다고 기록합니다.\n이후 자동 재시도는 하지 않습니다.',
      okText: '처리 완료',
      done: '처리 완료로 기록했습니다.'
    }
  };

  function openAction(item, action) {
    const h = CD.h;
    const text = dialogs[action];
    const form = h(
      'form',
      { id: 'cancel-action-form', novalidate: true },
      h('div', { 'data-role': 'form-alert', tabindex: '-1', hidden: true }),
      h('p', { class: 'small text-body-secondary mb-2', text: (item.goodsName || item.goodsId) + ' · ' + CD.fmt.won(item.price) + ' · ' + item.stateLabel }),
      h('label', { class: 'form-label small mb-1', for: 'cancel-reason', text: '사유 (필수)' }),
      h('textarea', { class: 'form-control', id: 'cancel-reason', name: 'reason', rows: '3', maxlength: '500', required: true })
    );
    form.addEventListener('submit', (event) => event.preventDefault());
    let updated = null;
    CD.confirm(text.message.replace('{n}', item.couponNumber), {
      title: text.title,
      okText: text.okText,
      extra: form,
      async validate() {
        CD.forms.clearErrors(form);
        const reason = form.reason.value.trim();
        if (!reason) {
          CD.forms.fieldError(form, 'reason', '사유를 입력해 주세요.').focus();
          return false;
        }
        const ok = CD.$('.modal.show .modal-footer .btn-primary');
        try {
          updated = await CD.busy(ok, '처리 중…', () => CD.api('POST', '/api/reconciliation/coupon-cancels/' + item.couponId + '/' + action, { body: { reason } }));
          return true;
        } catch (e) {
          CD.forms.showError(form, e);
          return false;
        }
      }
    }).then((done) => {
      if (!done || !updated) return;
      CD.toast(text.done);
      replaceRow(updated);
    });
  }

  function replaceRow(item) {
    const current = CD.$('#cancels-table tbody tr[data-coupon="' + item.couponId + '"]');
    if (!current) return;
    const shown = filterStates[state.filter];
    if (shown && shown.indexOf(item.state) < 0) {
      state.table.remove(current);
    } else {
      current.replaceWith(row(item));
    }
  }
})();

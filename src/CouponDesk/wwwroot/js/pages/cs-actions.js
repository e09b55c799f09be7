// C/S actions (spec §3.4.3): one modal per action with the spec's wording, the memo hint, the server's field errors
// shown in place, the button disabled while its request runs, and one Idempotency-Key per submission (a retry of the
// same submission after a network failure sends the same key, so it never acts twice). Exposes CD.cs.
(function () {
  'use strict';
  const CD = window.CD;
  const h = CD.h;
  const MEMO_MAX = 500;

  function newKey() {
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  // The same body again (a retry after "서버에 연결할 수 없습니다") keeps its key; anything else gets a new one.
  function keyFor(state, body) {
    const text = JSON.stringify(body);
    if (state.lastBody !== text) {
      state.lastBody = text;
      state.lastKey = newKey();
    }
    return state.lastKey;
  }

  function memoField(id, label, required, placeholder) {
    const area = h('textarea', { class: 'form-control', id, name: 'memo', rows: '3', maxlength: String(MEMO_MAX), placeholder: placeholder || '필요 시 상담 내용을 기록하세요.', required: required || null });
    const counter = h('div', { class: 'counter text-end', text: '0 / ' + MEMO_MAX });
    area.addEventListener('input', () => {
      counter.textContent = area.value.length + ' / ' + MEMO_MAX;
      counter.classList.toggle('over', area.value.length > MEMO_MAX);
    });
    const node = h(
      'div',
      { class: 'mt-3' },
      h('label', { for: id, class: 'form-label small mb-1', text: label }),
      area,
      h('div', { class: 'd-flex justify-content-between' }, h('div', { class: 'form-text mt-0', text: '전화번호·주소 등 개인정보는 입력하지 마세요.' }), counter)
    );
    return { node, input: area };
  }

  /**
   * A modal form: { title, lines, fields (nodes), submitText, danger, submit(key) → answer } . Resolves with the
   * answer, or null when closed. Errors stay in the modal (fields or its alert box) unless onError says otherwise.
   */
  function modalForm(options) {
    return new Promise((resolve) => {
      let result = null;
      const alertBox = h('div', { 'data-role': 'form-alert', tabindex: '-1', hidden: true });
      const form = h('form', { class: 'modal-content', novalidate: true });
      const submit = h('button', { type: 'submit', class: 'btn ' + (options.danger ? 'btn-danger' : 'btn-primary'), text: options.submitText || '확인', 'data-role': 'submit' });
      const cancel = h('button', { type: 'button', class: 'btn btn-outline-secondary', 'data-bs-dismiss': 'modal', text: '취소' });
      const body = h('div', { class: 'modal-body' }, alertBox);
      (options.lines || []).forEach((line) => body.appendChild(h('p', { class: 'mb-1', text: line })));
      (options.fields || []).forEach((f) => body.appendChild(f));
      form.appendChild(h('div', { class: 'modal-header' }, h('h2', { class: 'modal-title fs-5', id: 'cs-modal-title', text: options.title }), h('button', { type: 'button', class: 'btn-close', 'data-bs-dismiss': 'modal', 'aria-label': '닫기' })));
      form.appendChild(body);
      form.appendChild(h('div', { class: 'modal-footer' }, cancel, submit));
      const dialog = h('div', { class: 'modal fade cs-modal', tabindex: '-1', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'cs-modal-title' }, h('div', { class: 'modal-dialog modal-dialog-centered' }, form));
      document.body.appendChild(dialog);
      const modal = new window.bootstrap.Modal(dialog);
      const ui = { form, alertBox, submit, close: () => CD.hideModal(dialog) };
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        if (submit.disabled) return;
        CD.forms.clearErrors(form);
        if (options.check && !options.check(ui)) return;
        submit.disabled = true;
        try {
          result = await options.submit(ui);
          if (result !== undefined) await CD.hideModal(dialog);
        } catch (e) {
          if (e.redirected) return;
          if (options.onError && options.onError(e, ui)) return;
          CD.forms.showError(form, e);
        } finally {
          submit.disabled = false;
        }
      });
      dialog.addEventListener('shown.bs.modal', () => {
        const first = CD.$('input:not([readonly]):not([type=radio]), textarea, select', form) || submit;
        first.focus();
      });
      dialog.addEventListener('hidden.bs.modal', () => {
        modal.dispose();
        dialog.remove();
        resolve(result);
      });
      modal.show();
    });
  }

  // A refusal about the item itself (stale page, state changed, limit): the modal closes and the row shows the news.
  function itemProblem(e, ui, ctx) {
    if (['stale_item', 'action_not_allowed', 'coupon_used', 'coupon_expired', 'not_found'].indexOf(e.code) < 0) return false;
    ui.close();
    ctx.refused(e);
    return true;
  }

  async function post(ctx, action, body, state) {
    return CD.api('POST', '/api/cs/items/' + ctx.row.itemId + '/' + action, { body, idempotencyKey: keyFor(state, body) });
  }

  const cs = (CD.cs = {});

  // Two-person approval (spec §1.3): with the action's switch on, the dialog's button reads "승인 요청", a memo is
  // required, and the request says so (requestApproval) — the server refuses when the switch changed meanwhile. The
  // switches are read as the dialog opens, so a change made on 설정 shows at the next dialog.
  async function approval(kind, memo) {
    const on = !!(await CD.api('GET', '/api/approvals/switches'))[kind];
    if (on) {
      CD.$('label', memo.node).textContent = '상담 메모 (승인 요청 시 필수)';
      memo.input.placeholder = '승인자가 볼 요청 사유를 입력하세요.';
    }
    return {
      on,
      text: (plain) => (on ? '승인 요청' : plain),
      check: (ui) => {
        if (on && !memo.input.value.trim()) {
          CD.forms.fieldError(ui.form, 'memo', '승인 요청에는 상담 메모를 입력해야 합니다.');
          memo.input.focus();
          return false;
        }
        return true;
      },
      body: (body) => Object.assign(body, { requestApproval: on })
    };
  }

  cs.resend = async function (ctx) {
    const memo = memoField('cs-memo', '상담 메모 (선택)');
    const approve = await approval('resend', memo);
    const state = {};
    let night = false;
    const nightBox = h('div', { class: 'alert alert-warning mt-3 mb-0', hidden: true, 'data-role': 'night', text: '야간 시간대입니다. 계속하시겠습니까?' });
    return modalForm({
      title: '재발송',
      lines: [ctx.row.couponNumber + ' 쿠폰을 재발송 하시겠습니까?'],
      fields: [memo.node, nightBox],
      submitText: approve.text('재발송'),
      check: approve.check,
      submit: (ui) => post(ctx, 'resend', approve.body({ version: ctx.row.version, confirmNight: night, memo: memo.input.value }), state),
      onError: (e, ui) => {
        if (e.code === 'night_confirmation_required') {
          night = true;
          nightBox.hidden = false;
          ui.submit.textContent = '야간 재발송';
          return true;
        }
        return itemProblem(e, ui, ctx);
      }
    });
  };

  cs.changeNumber = async function (ctx) {
    const after = ctx.row.actions.changeMode === 'AfterSend';
    const input = h('input', { type: 'text', class: 'form-control', id: 'cs-new-phone', name: 'newPhone', maxlength: '11', inputmode: 'numeric', autocomplete: 'off', placeholder: '숫자만 입력하세요' });
    const question = h('p', { class: 'small mt-2 mb-0', 'data-role': 'question' });
    const draw = () => {
      const n = input.value.trim() || '___________';
      question.textContent = "'" + n + "' 번호로 변경하시겠습니까? " + (after ? '기존 쿠폰은 취소되고 새 쿠폰이 발급됩니다.' : '아직 발송 전이라 같은 쿠폰을 새 번호로 보냅니다.');
    };
    input.addEventListener('input', () => {
      input.value = input.value.replace(/[^0-9]/g, '');
      draw();
    });
    draw();
    const memo = memoField('cs-memo', '상담 메모 (선택)');
    const approve = await approval('phoneChange', memo);
    const state = {};
    return modalForm({
      title: '휴대폰 번호 변경',
      fields: [
        h('div', { class: 'mb-2' }, h('label', { class: 'form-label small mb-1', for: 'cs-current-phone', text: '현재 휴대폰 번호' }), h('input', { type: 'text', class: 'form-control', id: 'cs-current-phone', readonly: true, value: ctx.row.phone })),
        h('div', {}, h('label', { class: 'form-label small mb-1', for: 'cs-new-phone', text: '변경할 휴대폰 번호' }), input, question),
        memo.node
      ],
      submitText: approve.text('변경'),
      danger: after,
      check: (ui) => {
        if (!/^010[0-9]{8}$/.test(input.value.trim())) {
          CD.forms.fieldError(ui.form, 'newPhone', '휴대폰 번호는 010으로 시작하는 11자리 숫자로 입력해주세요.');
          input.focus();
          return false;
        }
        return approve.check(ui);
      },
      submit: () => post(ctx, 'change-number', approve.body({ version: ctx.row.version, newPhone: input.value.trim(), memo: memo.input.value }), state),
      onError: (e, ui) => itemProblem(e, ui, ctx)
    });
  };

  cs.discard = async function (ctx) {
    const reasons = [['CUSTOMER_REQUEST', '고객 요청'], ['WRONG_SEND', '오발송'], ['DUPLICATE', '중복 발송'], ['OTHER', '기타']];
    const group = h(
      'div',
      { class: 'mt-3', role: 'radiogroup', 'aria-labelledby': 'cs-discard-reason-label' },
      h('div', { class: 'form-label small mb-1', id: 'cs-discard-reason-label', text: '폐기 사유 (필수)' }),
      reasons.map(([value, label]) =>
        h('div', { class: 'form-check form-check-inline' }, h('input', { class: 'form-check-input', type: 'radio', name: 'reason', id: 'cs-reason-' + value, value }), h('label', { class: 'form-check-label', for: 'cs-reason-' + value, text: label }))
      )
    );
    const memo = memoField('cs-memo', '상담 메모 (기타 사유는 필수)');
    const approve = await approval('couponDiscard', memo);
    const state = {};
    const chosen = () => (CD.$('input[name=reason]:checked', group) || {}).value || '';
    return modalForm({
      title: '쿠폰폐기',
      lines: [ctx.row.couponNumber + ' 쿠폰을 폐기 하시겠습니까? 폐기된 쿠폰은 복구할 수 없습니다.'],
      fields: [group, memo.node],
      submitText: approve.text('폐기'),
      danger: true,
      check: (ui) => {
        if (!chosen()) {
          CD.alert(ui.alertBox, '폐기 사유를 선택하세요.', 'danger');
          return false;
        }
        if (chosen() === 'OTHER' && !memo.input.value.trim()) {
          CD.forms.fieldError(ui.form, 'memo', '기타 사유는 상담 메모에 입력하세요.');
          memo.input.focus();
          return false;
        }
        return approve.check(ui);
      },
      submit: () => post(ctx, 'discard', approve.body({ version: ctx.row.version, reason: chosen(), memo: memo.input.value }), state),
      onError: (e, ui) => itemProblem(e, ui, ctx)
    });
  };

  cs.memo = async function (ctx) {
    const memo = memoField('cs-memo', '상담 내용', true, '상담 내용을 입력하세요.');
    const state = {};
    return modalForm({
      title: '기타 CS 등록',
      fields: [memo.node],
      submitText: '저장',
      check: (ui) => {
        if (!memo.input.value.trim()) {
          CD.forms.fieldError(ui.form, 'memo', '상담 내용을 입력해주세요.');
          memo.input.focus();
          return false;
        }
        return true;
      },
      submit: () => post(ctx, 'memo', { memo: memo.input.value }, state),
      onError: (e, ui) => itemProblem(e, ui, ctx)
    });
  };

  cs.refresh = function (ctx) {
    return post(ctx, 'refresh', {}, {});
  };

  // 원문 보기 (spec §7.4): a reason first; the clear value is shown until the panel closes.
  cs.reveal = async function (ctx, field) {
    const select = h(
      'select',
      { class: 'form-select', id: 'cs-reveal-reason', name: 'reason' },
      h('option', { value: '', text: '사유를 선택하세요' }),
      h('option', { value: 'CUSTOMER_CHECK', text: '고객 본인 확인' }),
      h('option', { value: 'SUPPLIER_INQUIRY', text: '공급사 문의' }),
      h('option', { value: 'OTHER', text: '기타' })
    );
    const text = h('input', { type: 'text', class: 'form-control mt-2', id: 'cs-reveal-text', name: 'reasonText', maxlength: '200', placeholder: '기타 사유', hidden: true });
    select.addEventListener('change', () => {
      text.hidden = select.value !== 'OTHER';
    });
    return modalForm({
      title: '원문 보기',
      lines: [(field === 'phone' ? '휴대폰 번호' : '쿠폰번호') + ' 원문을 봅니다. 조회 사유는 감사 로그에 기록됩니다.'],
      fields: [h('div', { class: 'mt-3' }, h('label', { class: 'form-label small mb-1', for: 'cs-reveal-reason', text: '조회 사유' }), select, text)],
      submitText: '원문 보기',
      check: (ui) => {
        if (!select.value) {
          CD.forms.fieldError(ui.form, 'reason', '원문 보기 사유를 선택하세요.');
          return false;
        }
        if (select.value === 'OTHER' && !text.value.trim()) {
          CD.forms.fieldError(ui.form, 'reasonText', '기타 사유를 입력하세요.');
          return false;
        }
        return true;
      },
      submit: () =>
        CD.api('POST', '/api/cs/items/' + ctx.row.itemId + (field === 'phone' ? '/reveal-phone' : '/reveal-coupon-number'), {
          body: { reason: select.value, reasonText: text.value.trim() }
        })
    });
  };

  // 이미지 보기: the coupon as the recipient got it.
  cs.image = async function (ctx) {
    const blob = await CD.api('GET', '/api/cs/items/' + ctx.row.itemId + '/image', { as: 'blob' });
    const url = URL.createObjectURL(blob);
    const img = h('img', { class: 'cs-image', src: url, alt: ctx.row.productName + ' 쿠폰 이미지', id: 'cs-image' });
    const closeButton = h('button', { type: 'button', class: 'btn btn-outline-secondary', 'data-bs-dismiss': 'modal', text: '닫기' });
    const dialog = h(
      'div',
      { class: 'modal fade', tabindex: '-1', role: 'dialog', 'aria-modal': 'true', 'aria-label': '쿠폰 이미지' },
      h('div', { class: 'modal-dialog modal-dialog-centered' }, h('div', { class: 'modal-content' }, h('div', { class: 'modal-header' }, h('h2', { class: 'modal-title fs-5', text: '쿠폰 이미지' })), h('div', { class: 'modal-body' }, img), h('div', { class: 'modal-footer' }, closeButton)))
    );
    document.body.appendChild(dialog);
    const modal = new window.bootstrap.Modal(dialog);
    dialog.addEventListener('hidden.bs.modal', () => {
      modal.dispose();
      dialog.remove();
      URL.revokeObjectURL(url);
    });
    modal.show();
  };
})();

// 발송 상세 정보 (spec §3.3.3): the campaign panel, live progress per stage with throughput, ETA and the top failure
// reasons, pause / resume / 일괄취소 for the roles allowed to (P7, P8) and the reconciliation report (P23).
// 일괄취소 is the one cancel (issue 24): its dialog asks the server what it would affect now and names the counts.
// Progress is polled every 3 s: the server-sent-event stream needs the bearer token, which EventSource cannot send.
// The recipient table (masked by the server) pages by cursor; 실패 건 재시도 goes to the pipeline.
// Before a campaign starts it has no delivery items yet: the page lists the accepted recipients (masked) and the
// planned counts and cost instead (issue 14 point 8). The rate shows only while the campaign runs and still queues.
(function () {
  'use strict';
  const CD = window.CD;
  const POLL_MS = 3000;
  const STAFF = ['ADMIN', 'OPERATOR'];
  const RUNNING = ['ISSUING', 'SENDING'];
  const FINAL = ['CANCELLED', 'COMPLETED', 'PARTIALLY_FAILED', 'FAILED'];
  const FINISHED = ['COMPLETED', 'PARTIALLY_FAILED', 'FAILED'];
  const FAILED_STATES = ['ISSUE_FAILED', 'RENDER_FAILED', 'SEND_FAILED'];
  const CANCELLABLE = ['SCHEDULED', 'ISSUING', 'SENDING', 'PAUSED', 'ERROR'];
  const ITEM_PAGE = 50;
  const state = { id: null, me: null, campaign: null, exchangeChart: null, timer: null, progress: null, items: { cursor: null, shown: 0, filter: 'all', q: '' }, planned: { after: null } };

  CD.page({
    id: 'campaigns',
    async init(me) {
      state.me = me;
      const id = Number(new URLSearchParams(window.location.search).get('id'));
      if (!Number.isSafeInteger(id) || id <= 0) {
        CD.alert(CD.$('#cd-flash'), '발송 건을 찾을 수 없습니다.', 'warning');
        return;
      }
      state.id = id;
      if (STAFF.indexOf(me.role) >= 0) {
        CD.$('#campaign-pause').addEventListener('click', (e) => act(e.currentTarget, 'pause'));
        CD.$('#campaign-resume').addEventListener('click', (e) => act(e.currentTarget, 'resume'));
        CD.$('#campaign-cancel').addEventListener('click', (e) => cancelCampaign(e.currentTarget));
        CD.$('#campaign-retry-failed').addEventListener('click', (e) => retryFailed(e.currentTarget));
        CD.$('#campaign-unschedule').addEventListener('click', (e) => unschedule(e.currentTarget));
      }
      if (me.role === 'ADMIN') {
        CD.$('#campaign-discard-unused').addEventListener('click', (e) => discardUnused(e.currentTarget));
        CD.$('#legal-hold-set').addEventListener('click', (e) => setLegalHold(e.currentTarget));
        CD.$('#legal-hold-release').addEventListener('click', (e) => releaseLegalHold(e.currentTarget));
      }
      CD.$('#campaign-export').addEventListener('click', (e) => exportDetail(e.currentTarget));
      wireRecipientTable();
      await loadCampaign();
      await refreshProgress();
      await loadItems(false);
      await loadReconciliation();
      await loadExchangeRate();
      await loadLegalHold();
    }
  });

  // 보존 연장 (spec §7.5): while a hold is in force the purge skips this campaign's data. Everyone sees it; ADMIN sets
  // (1–365 days, a reason) or releases it. The server validates again and audits both.
  async function loadLegalHold() {
    let h;
    try {
      h = await CD.api('GET', base() + '/legal-hold');
    } catch (e) {
      return;
    }
    const admin = state.me && state.me.role === 'ADMIN';
    CD.$('#legal-hold').hidden = !h.held && !admin;
    CD.$('#legal-hold-text').textContent = h.held ? CD.fmt.date(h.heldUntil) + '까지 · 사유: ' + h.reason + ' · 설정: ' + h.setBy : '없음 (보존 기간이 지나면 개인정보를 파기합니다)';
    CD.$('#legal-hold-set').hidden = !admin;
    CD.$('#legal-hold-set').textContent = h.held ? '보존 연장 변경' : '보존 연장 설정';
    CD.$('#legal-hold-release').hidden = !admin || !h.held;
  }

  async function setLegalHold(button) {
    CD.alert(CD.$('#action-alert'), null);
    const days = CD.h('input', { type: 'number', class: 'form-control', id: 'legal-hold-days', min: '1', max: '365', value: '365', 'aria-label': '보존 연장 일수' });
    const reason = CD.h('input', { type: 'text', class: 'form-control', id: 'legal-hold-reason', maxlength: '200', autocomplete: 'off', 'aria-label': '보존 연장 사유' });
    const extra = CD.h('div', { class: 'mt-2' },
      CD.h('label', { for: 'legal-hold-days', class: 'form-label small', text: '기간 (일, 최대 365일)' }), days,
      CD.h('label', { for: 'legal-hold-reason', class: 'form-label small mt-2', text: '사유 (필수, 200자 이내)' }), reason);
    const ok = await CD.confirm('이 발송 건의 개인정보를 보존 기간이 지나도 파기하지 않고 보관합니다. 감사로그에 기록됩니다.', {
      title: '보존 연장',
      okText: '설정',
      cancelText: '닫기',
      extra,
      validate: async () => {
        const n = Number(days.value);
        const daysValid = Number.isInteger(n) && n >= 1 && n <= 365;
        const reasonValid = reason.value.trim().length > 0;
        days.classList.toggle('is-invalid', !daysValid);
        reason.classList.toggle('is-invalid', !reasonValid);
        return daysValid && reasonValid;
      }
    });
    if (!ok) return;
    try {
      await CD.busy(button, null, () => CD.api('PUT', base() + '/legal-hold', { body: { days: Number(days.value), reason: reason.value.trim() } }));
      CD.toast('보존 연장을 설정했습니다.');
      await loadLegalHold();
    } catch (e) {
      showActionError(e);
    }
  }

  async function releaseLegalHold(button) {
    CD.alert(CD.$('#action-alert'), null);
    const ok = await CD.confirm('보존 연장을 해제하면 보존 기간이 지난 개인정보는 다음 파기 때 삭제됩니다.', { title: '보존 연장 해제', danger: true, okText: '해제', cancelText: '닫기' });
    if (!ok) return;
    try {
      await CD.busy(button, null, () => CD.api('DELETE', base() + '/legal-hold'));
      CD.toast('보존 연장을 해제했습니다.');
      await loadLegalHold();
    } catch (e) {
      showActionError(e);
    }
  }

  // 교환률 (issue 17): used ÷ delivered now, and the cumulative rate by the day coupons were first used (KST).
  async function loadExchangeRate() {
    let r;
    try {
      r = await CD.api('GET', base() + '/exchange-rate');
    } catch (e) {
      return;
    }
    if (!r.delivered) return;
    CD.$('#exchange-card').hidden = false;
    CD.$('#exchange-summary').textContent = '교환 ' + CD.fmt.number(r.used) + ' / 발송성공 ' + CD.fmt.number(r.delivered) + ' (' + r.rate + '%)';
    // Nothing used yet: a sentence instead of an empty chart.
    const empty = !r.used || !r.days.length;
    CD.$('#exchange-empty').hidden = !empty;
    CD.$('#exchange-chart-box').hidden = empty;
    if (!window.Chart || empty) return;
    const data = {
      labels: r.days.map((d) => d.day),
      datasets: [{ label: '누적 교환률 (%)', data: r.days.map((d) => d.rate), borderColor: '#0d6efd', backgroundColor: 'rgba(13,110,253,0.15)', fill: true, tension: 0.2 }]
    };
    if (state.exchangeChart) {
      state.exchangeChart.data = data;
      state.exchangeChart.update();
      return;
    }
    state.exchangeChart = new window.Chart(CD.$('#exchange-chart'), {
      type: 'line',
      data,
      options: { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, max: 100, ticks: { callback: (v) => v + '%' } } } }
    });
  }

  function base() {
    return '/api/campaigns/' + encodeURIComponent(state.id);
  }

  async function loadCampaign() {
    const c = await CD.api('GET', base());
    state.campaign = c;
    CD.$('#campaign-title').textContent = '[' + c.clientName + '] ' + c.eventName;
    document.title = c.eventName + ' · 발송 상세 · 모바일쿠폰 발송 시스템';
    const product = c.product || {};
    const fields = [
      ['캠페인 번호', c.campaignNo || String(c.id)],
      ['상태', CD.campaignBadge(c.status, c.statusLabel)],
      ['고객사', c.clientName],
      ['영업담당자', c.salesManager],
      ['고객사 요청자', c.clientRequester],
      ['요청자 전화번호', c.requesterPhone],
      ['요청자 이메일', c.requesterEmail],
      ['이벤트명', c.eventName],
      ['발송 예약일시', c.scheduledAt],
      ['상품', product.name],
      ['유효기간', product.validityText],
      ['정상 단가', product.listPrice !== undefined && product.listPrice !== null ? CD.fmt.won(product.listPrice) : null],
      ['수량', CD.fmt.number(c.recipientCount)],
      ['합계', c.costEstimate !== null && c.costEstimate !== undefined ? CD.fmt.won(c.costEstimate) : null],
      ['발신자 번호', c.senderNumber ? CD.fmt.phone(c.senderNumber) : null],
      ['제목', c.mmsTitle],
      ['취소 사유', c.cancelReason]
    ];
    const panel = CD.clear(CD.$('#campaign-panel'));
    fields.forEach(([label, value]) => {
      panel.appendChild(CD.h('dt', { class: 'col-sm-4 text-body-secondary', text: label }));
      panel.appendChild(CD.h('dd', { class: 'col-sm-8 text-break' }, value === null || value === undefined || value === '' ? '-' : value));
    });
    showActions(c.status);
  }

  // 예약 해제 (spec §3.2.4, C3): back to DRAFT before the start; the campaign then opens in 발송등록 for editing.
  async function unschedule(button) {
    if (!(await CD.confirm('예약을 해제하시겠습니까? 임시저장 상태로 돌아가며 수정 후 다시 발송 요청할 수 있습니다.', { title: '예약 해제', okText: '예약 해제' }))) return;
    try {
      await CD.busy(button, null, () => CD.api('POST', '/api/campaigns/' + encodeURIComponent(state.id) + '/unschedule'));
      CD.flash.set('예약을 해제했습니다. 수정 후 다시 발송 요청하세요.', 'success');
      CD.go('register.html?id=' + encodeURIComponent(state.id));
    } catch (e) {
      showActionError(e);
    }
  }

  // Buttons by state (spec §3.3.3 actions); a VIEWER gets none. The server decides in the end (409 with a reason).
  function showActions(status) {
    const staff = STAFF.indexOf(state.me.role) >= 0;
    CD.$('#campaign-unschedule').hidden = !staff || status !== 'SCHEDULED';
    CD.$('#campaign-pause').hidden = !staff || RUNNING.indexOf(status) < 0;
    CD.$('#campaign-resume').hidden = !staff || ['PAUSED', 'ERROR'].indexOf(status) < 0;
    CD.$('#campaign-cancel').hidden = !staff || CANCELLABLE.indexOf(status) < 0;
    showPipelineActions();
  }

  function itemCount(states) {
    const items = (state.progress && state.progress.items) || {};
    return states.reduce((sum, key) => sum + (items[key] || 0), 0);
  }

  // 실패 건 재시도: a final state with failed items (spec §3.3.3).
  function showPipelineActions() {
    const staff = state.me && STAFF.indexOf(state.me.role) >= 0;
    const status = state.campaign && state.campaign.status;
    CD.$('#campaign-retry-failed').hidden = !staff || ['COMPLETED', 'PARTIALLY_FAILED', 'FAILED'].indexOf(status) < 0 || itemCount(FAILED_STATES) === 0;
    // 미사용 쿠폰 일괄 폐기 (P9): ADMIN, on a finished campaign (spec §3.3.3).
    CD.$('#campaign-discard-unused').hidden = !state.me || state.me.role !== 'ADMIN' || FINISHED.indexOf(status) < 0;
  }

  const DISCARD_STATES = { RUNNING: '처리 중', COMPLETED: '완료', PARTIALLY_FAILED: '부분 실패', FAILED: '실패' };
  const DISCARD_FOLLOW_MS = 120000;

  // The user types the event name to confirm (spec §3.3.3); the server checks it again and cancels every unused,
  // unexpired coupon at COUFUN through the cancel follow-up (failures are listed in 공급사 취소 실패).
  async function discardUnused(button) {
    CD.alert(CD.$('#action-alert'), null);
    const c = state.campaign;
    const nameInput = CD.h('input', { type: 'text', class: 'form-control', id: 'discard-event-name', maxlength: '50', autocomplete: 'off', 'aria-label': '이벤트명 입력' });
    const help = CD.h('div', { class: 'invalid-feedback', id: 'discard-event-name-feedback', text: '이벤트명이 일치하지 않습니다.' });
    const extra = CD.h('div', { class: 'mt-2' }, CD.h('label', { for: 'discard-event-name', class: 'form-label small', text: '확인을 위해 이벤트명 "' + c.eventName + '"을(를) 입력하세요' }), nameInput, help);
    // 일괄 폐기 승인 (spec §1.3, on by default): a second ADMIN approves; the request needs a memo.
    const needsApproval = (await switches()).bulkDiscard;
    const memoInput = CD.h('input', { type: 'text', class: 'form-control', id: 'discard-memo', maxlength: '200', 'aria-label': '승인 요청 메모' });
    if (needsApproval) extra.append(CD.h('label', { for: 'discard-memo', class: 'form-label small mt-2', text: '승인 요청 메모 (필수)' }), memoInput);
    const ok = await CD.confirm('[' + c.clientName + '] ' + c.eventName + '\n교환되지 않은 유효한 쿠폰을 모두 공급사(COUFUN)에서 폐기합니다. 폐기한 쿠폰은 되돌릴 수 없습니다.', {
      title: '미사용 쿠폰 일괄 폐기',
      danger: true,
      okText: needsApproval ? '승인 요청' : '일괄 폐기',
      cancelText: '닫기',
      extra,
      validate: async () => {
        const valid = nameInput.value.trim() === c.eventName;
        nameInput.classList.toggle('is-invalid', !valid);
        if (!valid) nameInput.focus();
        const memoValid = !needsApproval || memoInput.value.trim().length > 0;
        memoInput.classList.toggle('is-invalid', !memoValid);
        if (valid && !memoValid) memoInput.focus();
        return valid && memoValid;
      }
    });
    if (!ok) return;
    try {
      const r = await CD.busy(button, null, () =>
        CD.api('POST', base() + '/coupons/discard-unused', { body: { eventName: nameInput.value.trim(), memo: memoInput.value.trim() || null, requestApproval: needsApproval } })
      );
      if (r.requestId) {
        await afterAction(r.message);
        return;
      }
      const text = showDiscard(r);
      await afterAction(text);
      if (r.state === 'RUNNING') followDiscard(Date.now() + DISCARD_FOLLOW_MS);
    } catch (e) {
      showActionError(e);
    }
  }

  function showDiscard(r) {
    let text = '미사용 쿠폰 일괄 폐기 ' + (DISCARD_STATES[r.state] || r.state) + ': 대상 ' + CD.fmt.number(r.total) + '건, 폐기 ' + CD.fmt.number(r.cancelled) + '건';
    if (r.failed) text += ', 실패 ' + CD.fmt.number(r.failed) + '건 (공급사 취소 실패 목록 확인)';
    if (r.pending) text += ', 처리 중 ' + CD.fmt.number(r.pending) + '건';
    CD.alert(CD.$('#action-alert'), text, r.state === 'COMPLETED' ? 'success' : 'warning');
    return text;
  }

  // 처리 중: the coupons the first attempts did not settle (the worker may have claimed them first) are finished by the
  // worker's follow-up; the alert follows it every 2 s (background calls) until the discard ends or two minutes pass.
  async function followDiscard(deadline) {
    let r;
    try {
      r = await CD.api('GET', base() + '/coupons/discard-unused', { background: true });
    } catch (e) {
      return;
    }
    showDiscard(r);
    if (r.state === 'RUNNING' && Date.now() < deadline) window.setTimeout(() => followDiscard(deadline), 2000);
    else if (r.state !== 'RUNNING') await loadItems(false);
  }

  // The approval switches (spec §1.3) as they are now: read when a dialog opens, so a changed switch shows at once.
  function switches() {
    return CD.api('GET', '/api/approvals/switches');
  }

  async function afterAction(text) {
    CD.toast(text);
    await loadCampaign();
    await refreshProgress();
    await loadItems(false);
  }

  function showActionError(e) {
    if (e.redirected) return;
    const alertBox = CD.$('#action-alert');
    CD.alert(alertBox, e.detail, 'danger');
    alertBox.focus();
  }

  // 일괄취소 (spec §3.3.3, issue 24): one action for every state that can still be cancelled. The dialog names what it
  // would affect now; what the agent takes meanwhile is counted by the server, whose answer the toast repeats.
  async function cancelCampaign(button) {
    CD.alert(CD.$('#action-alert'), null);
    const c = state.campaign;
    let preview;
    try {
      preview = await CD.busy(button, null, () => CD.api('GET', base() + '/pipeline/cancel/preview'));
    } catch (e) {
      showActionError(e);
      return;
    }
    if (!preview.cancellable) {
      // Nothing left that the agent has not taken: say so instead of asking (the server would refuse the same way).
      showActionError({ detail: '취소할 미발송 건이 없습니다. 모든 메시지가 이미 통신사로 넘어가 결과를 기다리고 있습니다.' });
      return;
    }
    const lines = ['[' + c.clientName + '] ' + c.eventName + ' 발송 건을 일괄 취소합니다.'];
    if (preview.status !== 'SCHEDULED') {
      lines.push('아직 발송되지 않은 ' + CD.fmt.number(preview.unsent) + '건을 취소합니다.');
      lines.push('발급된 쿠폰 ' + CD.fmt.number(preview.coupons) + '건은 공급사에 취소 요청됩니다.');
      const gone = preview.takenByAgent + preview.alreadyFinished;
      if (gone > 0) lines.push('이미 통신사로 넘어간 ' + CD.fmt.number(gone) + '건은 취소되지 않고 결과를 기다립니다.');
    }
    // 발송 취소 승인 (spec §1.3): the cancel becomes a request another ADMIN/OPERATOR approves; a scheduled campaign
    // waits for the decision (it does not start while the request is pending).
    const needsApproval = (await switches()).campaignCancel;
    lines.push(needsApproval ? '2인 승인 대상입니다. 다른 관리자·운영자가 승인하면 취소됩니다. 승인 요청하시겠습니까?' : '진행하시겠습니까?');
    const reasonInput = CD.h('input', { type: 'text', class: 'form-control', id: 'cancel-reason', maxlength: '200', 'aria-label': '취소 사유' });
    const extra = CD.h('div', { class: 'mt-2' }, CD.h('label', { for: 'cancel-reason', class: 'form-label small', text: '취소 사유' }), reasonInput);
    // The buttons name the action and "닫기": "취소" next to a cancel action would be ambiguous (issue 14 point 9).
    const ok = await CD.confirm(lines.join('\n'), {
      title: '일괄취소',
      danger: true,
      okText: needsApproval ? '승인 요청' : '캠페인 취소',
      cancelText: '닫기',
      extra,
      validate: async () => {
        const valid = reasonInput.value.trim().length > 0;
        reasonInput.classList.toggle('is-invalid', !valid);
        if (!valid) reasonInput.focus();
        return valid;
      }
    });
    if (!ok) return;
    try {
      const r = await CD.busy(button, null, () => CD.api('POST', base() + '/pipeline/cancel', { body: { reason: reasonInput.value.trim(), requestApproval: needsApproval } }));
      if (r.requestId) {
        await afterAction(r.message);
        return;
      }
      let text = r.message;
      if (r.couponCancelsPending) text += ' 쿠폰 취소 ' + CD.fmt.number(r.couponCancelsPending) + '건은 처리 중입니다.';
      await afterAction(text);
    } catch (e) {
      showActionError(e);
    }
  }

  async function retryFailed(button) {
    CD.alert(CD.$('#action-alert'), null);
    const n = itemCount(FAILED_STATES);
    const ok = await CD.confirm('실패 ' + CD.fmt.number(n) + '건을 재시도하시겠습니까?', { title: '실패 건 재시도' });
    if (!ok) return;
    try {
      const r = await CD.busy(button, null, () => CD.api('POST', base() + '/pipeline/retry-failed'));
      await afterAction(CD.fmt.number(r.retried) + '건을 다시 발송합니다.');
    } catch (e) {
      showActionError(e);
    }
  }

  // Masked for everyone; an ADMIN may tick 마스킹 해제 and must give a reason (spec §3.3.4, P20).
  async function exportDetail(button) {
    CD.alert(CD.$('#action-alert'), null);
    let unmask = null;
    let reasonInput = null;
    if (state.me.role === 'ADMIN') {
      unmask = CD.h('input', { type: 'checkbox', class: 'form-check-input', id: 'export-unmask' });
      reasonInput = CD.h('input', { type: 'text', class: 'form-control', id: 'export-reason', maxlength: '200', 'aria-label': '마스킹 해제 사유', disabled: 'disabled' });
      unmask.addEventListener('change', () => {
        reasonInput.disabled = !unmask.checked;
        if (unmask.checked) reasonInput.focus();
      });
      const extra = CD.h(
        'div',
        { class: 'mt-2' },
        CD.h('div', { class: 'form-check' }, unmask, CD.h('label', { class: 'form-check-label', for: 'export-unmask', text: '마스킹 해제' })),
        CD.h('label', { for: 'export-reason', class: 'form-label small mt-2', text: '사유 (마스킹 해제 시 필수)' }),
        reasonInput
      );
      const ok = await CD.confirm('발송상세내역을 엑셀로 내려받습니다. 마스킹 해제 파일은 이름에 "(원본)"이 붙고 감사 로그에 기록됩니다.', {
        title: '엑셀 다운받기',
        extra,
        validate: async () => {
          const valid = !unmask.checked || reasonInput.value.trim().length > 0;
          reasonInput.classList.toggle('is-invalid', !valid);
          if (!valid) reasonInput.focus();
          return valid;
        }
      });
      if (!ok) return;
    }
    try {
      await CD.busy(button, null, async () => {
        if (unmask && unmask.checked) {
          await CD.exports.request(base() + '/export/unmasked', { body: { reason: reasonInput.value.trim() } });
        } else {
          await CD.exports.request(base() + '/export');
        }
      });
    } catch (e) {
      showActionError(e);
    }
  }

  // Recipient table (spec §3.3.3): filter chips, exact search, "더 보기" by cursor.
  function wireRecipientTable() {
    const form = CD.$('#recipient-search');
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      loadItems(false);
    });
    form.querySelectorAll('input[name=filter]').forEach((radio) => radio.addEventListener('change', () => loadItems(false)));
    CD.$('#recipient-more').addEventListener('click', () => loadItems(true));
  }

  // Not started: no delivery items exist yet (SCHEDULED, or cancelled before its run began).
  function isPlanned() {
    const c = state.campaign;
    return !!c && (c.status === 'SCHEDULED' || (c.status === 'CANCELLED' && !!state.progress && !state.progress.startedAt && !state.progress.total));
  }

  // The accepted recipients of a campaign that has not started, masked by the server.
  async function loadPlanned(more) {
    const alertBox = CD.$('#recipient-alert');
    CD.alert(alertBox, null);
    // Filters and search work on delivery items, which do not exist yet (d-none: the form's d-flex beats [hidden]).
    CD.$('#recipient-search').classList.add('d-none');
    let page;
    try {
      page = await CD.api('GET', base() + '/recipients', { query: { after: more ? state.planned.after : null, limit: ITEM_PAGE } });
    } catch (e) {
      if (!e.redirected) CD.alert(alertBox, e.detail, 'danger');
      return;
    }
    const h = CD.h;
    const body = CD.$('#recipient-table tbody');
    if (!more) {
      CD.clear(body);
      state.items.shown = 0;
    }
    const label = state.campaign.status === 'CANCELLED' ? CD.badge('취소', 'secondary') : CD.badge('발송 예정', 'info');
    page.items.forEach((r) => {
      body.appendChild(
        h(
          'tr',
          { dataset: { recipient: String(r.seq) } },
          h('td', { text: String(r.seq) }),
          h('td', { class: 'cd-mono', text: r.phone }),
          h('td', { text: '-' }),
          h('td', { text: '-' }),
          h('td', { text: '-' }),
          h('td', {}, label.cloneNode(true)),
          h('td', { text: '-' }),
          h('td', { text: '-' }),
          h('td', { text: '-' })
        )
      );
      state.items.shown++;
    });
    if (state.items.shown === 0) body.appendChild(CD.emptyRow(9, '등록된 수신자가 없습니다.'));
    state.planned.after = page.next;
    CD.$('#recipient-more-box').hidden = page.next === null || page.next === undefined;
    const total = state.campaign.recipientCount;
    CD.$('#recipient-count').textContent = '수신자 (표시 ' + CD.fmt.number(state.items.shown) + ' / 전체 ' + CD.fmt.number(total) + '건) · 발송 전';
    CD.$('#campaign-title-count').textContent = '(표시 ' + CD.fmt.number(state.items.shown) + ' / 전체 ' + CD.fmt.number(total) + '건)';
  }

  async function loadItems(more) {
    if (isPlanned()) {
      await loadPlanned(more);
      return;
    }
    const form = CD.$('#recipient-search');
    form.classList.remove('d-none');
    const alertBox = CD.$('#recipient-alert');
    CD.alert(alertBox, null);
    if (!more) {
      const checked = form.querySelector('input[name=filter]:checked');
      state.items.filter = checked ? checked.value : 'all';
      state.items.q = CD.$('#recipient-q').value.trim();
      state.items.cursor = null;
    }
    let page;
    try {
      // POST: the search key (a phone or coupon number) must not be in a URL; a read, so no idempotency key.
      page = await CD.api('POST', base() + '/items/search', {
        body: { filter: state.items.filter, q: state.items.q, cursor: more ? state.items.cursor : null, limit: ITEM_PAGE }, idempotencyKey: false
      });
    } catch (e) {
      if (!e.redirected) {
        CD.alert(alertBox, e.detail, 'danger');
        CD.$('#recipient-q').classList.toggle('is-invalid', e.status === 400);
      }
      return;
    }
    CD.$('#recipient-q').classList.remove('is-invalid');
    const body = CD.$('#recipient-table tbody');
    if (!more) {
      CD.clear(body);
      state.items.shown = 0;
    }
    page.items.forEach((item) => {
      body.appendChild(itemRow(item));
      state.items.shown++;
    });
    if (state.items.shown === 0) body.appendChild(CD.emptyRow(9, '조건에 해당하는 수신 건이 없습니다.'));
    state.items.cursor = page.nextCursor;
    CD.$('#recipient-more-box').hidden = !page.nextCursor;
    CD.$('#recipient-count').textContent = '수신자 (표시 ' + CD.fmt.number(state.items.shown) + ' / 전체 ' + CD.fmt.number(page.total) + '건)';
    CD.$('#campaign-title-count').textContent = '(표시 ' + CD.fmt.number(state.items.shown) + ' / 전체 ' + CD.fmt.number(page.total) + '건)';
  }

  function deliveryBadge(item) {
    const kind = item.status === 'SENT' ? 'success' : FAILED_STATES.indexOf(item.status) >= 0 ? 'danger' : item.status === 'CANCELLED' ? 'secondary' : 'info';
    return CD.badge(item.statusLabel, kind);
  }

  function itemRow(item) {
    const h = CD.h;
    const result = item.resultCode || item.resultReason ? (item.resultCode || '') + (item.resultReason ? ' ' + item.resultReason : '') : '-';
    return h(
      'tr',
      { dataset: { item: String(item.itemId) } },
      h('td', { text: String(item.no) }),
      h('td', { class: 'cd-mono', text: item.phone || '-' }),
      h('td', { class: 'cd-mono', text: item.couponNumber || '-' }),
      h('td', { class: 'cd-mono', text: item.orderId || '-' }),
      h('td', {}, h('span', { text: item.couponStatusLabel }), item.statusSource ? h('div', { class: 'small text-body-secondary text-nowrap', text: item.statusSource }) : null),
      h('td', {}, deliveryBadge(item)),
      h('td', { class: 'cd-truncate', title: result, text: result }),
      h('td', { text: item.deliveredAt || '-' }),
      h('td', { text: item.exchangedAt || '-' })
    );
  }

  const questions = {
    pause: { title: '일시정지', okText: '일시정지', text: '발송을 일시정지하시겠습니까? 아직 통신사로 넘어가지 않은 메시지는 보류됩니다.', done: '발송을 일시정지했습니다.' },
    resume: { title: '재개', okText: '재개', text: '발송을 재개하시겠습니까?', done: '발송을 재개했습니다.' }
  };

  async function act(button, action) {
    const q = questions[action];
    const alertBox = CD.$('#action-alert');
    CD.alert(alertBox, null);
    // The buttons name the action and "닫기" (issue 14 point 9).
    const ok = await CD.confirm(q.text, { title: q.title, okText: q.okText, cancelText: '닫기' });
    if (!ok) return;
    try {
      await CD.busy(button, null, () => CD.api('POST', base() + '/pipeline/' + action));
      await afterAction(q.done);
    } catch (e) {
      showActionError(e);
    }
  }

  // background: the timer's call, which the session does not count as activity (D-APR-7) — a page left open on a
  // scheduled campaign must not keep its session alive; a 401 then stops the polling and the idle countdown takes over.
  async function refreshProgress(background) {
    window.clearTimeout(state.timer);
    let p;
    try {
      p = await CD.api('GET', base() + '/pipeline/progress', { background: background === true });
    } catch (e) {
      if (background === true && e.status === 401) return;
      if (!e.redirected) CD.alert(CD.$('#action-alert'), e.detail, 'danger');
      return;
    }
    state.progress = p;
    drawProgress(p);
    showPipelineActions();
    if (state.campaign && p.status !== state.campaign.status) {
      const wasPlanned = isPlanned();
      state.campaign.status = p.status;
      await loadCampaign();
      // The run began: the accepted list gives way to the delivery items.
      if (wasPlanned !== isPlanned()) {
        await loadItems(false);
        await loadReconciliation();
      }
    }
    if (FINAL.indexOf(p.status) < 0 && p.status !== 'DRAFT') state.timer = window.setTimeout(() => refreshProgress(true), POLL_MS);
  }

  function drawProgress(p) {
    const h = CD.h;
    const n = (key) => (p.items && p.items[key]) || 0;
    const planned = isPlanned();
    const total = planned ? state.campaign.recipientCount : p.total || 0;
    const issued = n('ISSUED') + n('RENDER_FAILED') + p.prepared;
    const received = n('SENT') + n('SEND_FAILED');
    const stages = [
      ['발급', issued],
      ['이미지', p.prepared],
      ['적재', p.prepared],
      ['결과 수신', received]
    ];
    const box = CD.clear(CD.$('#progress-stages'));
    stages.forEach(([label, done]) => {
      const pct = total > 0 ? Math.round((done / total) * 100) : 0;
      // Through the CSSOM: the Content-Security-Policy refuses style attributes.
      const bar = h('div', { class: 'progress-bar' });
      bar.style.width = pct + '%';
      box.appendChild(
        h(
          'div',
          { class: 'mb-2', dataset: { stage: label } },
          h('div', { class: 'd-flex justify-content-between small' }, h('span', { text: label }), h('span', { class: 'cd-stage-count', text: CD.fmt.number(done) + ' / ' + CD.fmt.number(total) })),
          h(
            'div',
            { class: 'progress', role: 'progressbar', 'aria-label': label, 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(pct) },
            bar
          )
        )
      );
    });
    const stats = planned ? plannedStats(p) : runStats(p, n);
    if (p.stopReason) stats.push(['중단 사유', p.stopReason]);
    if (p.inDoubtOrders) stats.push(['발급 확인 필요', CD.fmt.number(p.inDoubtOrders) + '건']);
    // Warnings of a running campaign, e.g. items still not queued 5 minutes after the send time (spec §5.1).
    (p.warnings || []).forEach((w) => stats.push(['경고', h('span', { class: 'text-danger', dataset: { warning: w.code }, text: w.message })]));
    const dl = CD.clear(CD.$('#progress-stats'));
    stats.forEach(([label, value]) => {
      dl.appendChild(h('dt', { class: 'col-5 col-md-3 text-body-secondary', text: label }));
      dl.appendChild(h('dd', { class: 'col-7 col-md-3' }, value));
    });
    // Nothing has run yet: no failure reasons to show.
    CD.$('#failure-table').hidden = planned;
    CD.$('#failure-title').hidden = planned;
    const tbody = CD.clear(CD.$('#failure-table tbody'));
    (p.topFailures || []).forEach((f) =>
      tbody.appendChild(h('tr', {}, h('td', { class: 'cd-mono', text: f.code || '-' }), h('td', { text: f.reason || '-' }), h('td', { class: 'text-end', text: CD.fmt.number(f.count) })))
    );
    if (!tbody.firstChild) tbody.appendChild(CD.emptyRow(3, '실패 건이 없습니다.'));
    CD.$('#progress-updated').textContent = '갱신 ' + CD.fmt.dateTimeSeconds(new Date());
  }

  // Before the start: what will be sent, when, and what it costs (the campaign's own estimate, at list price).
  function plannedStats(p) {
    const c = state.campaign;
    const cost = c.costEstimate !== null && c.costEstimate !== undefined ? CD.fmt.won(c.costEstimate) : '-';
    return [
      ['상태', CD.campaignBadge(p.status, p.statusLabel)],
      ['발송 예정', CD.fmt.number(c.recipientCount) + '건'],
      ['예상 합계', cost + ' (정가 기준)'],
      ['발송 예약일시', c.scheduledAt || '-'],
      ['발송 준비 시작', c.status === 'SCHEDULED' ? c.startAt || '-' : '-']
    ];
  }

  function runStats(p, n) {
    const stats = [
      ['상태', CD.campaignBadge(p.status, p.statusLabel)],
      ['성공', CD.fmt.number(n('SENT'))],
      ['실패', CD.fmt.number(n('SEND_FAILED') + n('RENDER_FAILED'))],
      ['발급실패', CD.fmt.number(n('ISSUE_FAILED'))],
      ['취소', CD.fmt.number(n('CANCELLED'))]
    ];
    // A rate is news only while the campaign runs and still has items to prepare; a finished campaign's average
    // over its whole life ("0.4건/분" for five recipients) is noise.
    if (RUNNING.indexOf(p.status) >= 0 && p.queuedPerMinute > 0 && p.prepared < p.total) stats.push(['처리 속도', CD.fmt.number(p.queuedPerMinute) + ' 건/분']);
    if (RUNNING.indexOf(p.status) >= 0) stats.push(['예상 완료', eta(p)]);
    stats.push(['시작 / 완료', CD.fmt.dateTime(p.startedAt) + ' / ' + CD.fmt.dateTime(p.finishedAt)]);
    return stats;
  }

  function eta(p) {
    if (p.finishedAt || RUNNING.indexOf(p.status) < 0) return '-';
    if (p.etaSeconds === null || p.etaSeconds === undefined) return '계산 중';
    return CD.fmt.dateTime(new Date(Date.now() + p.etaSeconds * 1000));
  }

  // The reconciliation report is for ADMIN/OPERATOR (P23); a VIEWER does not ask for it.
  async function loadReconciliation() {
    // Nothing is issued before the start: the report would be all zeros. It appears once the run began.
    if (STAFF.indexOf(state.me.role) < 0 || isPlanned()) return;
    const r = await CD.api('GET', base() + '/pipeline/reconciliation');
    const h = CD.h;
    CD.$('#reconciliation-card').hidden = false;
    const summary = [
      ['발급 쿠폰', CD.fmt.number(r.couponsIssued) + '건 · ' + CD.fmt.won(r.issuedValue)],
      ['발급 후 미전달', CD.fmt.number(r.issuedNotDelivered) + '건'],
      ['재발송 권장 실패', CD.fmt.number(r.resendRecommendedFailures) + '건'],
      ['확인 필요 금액', CD.fmt.won(r.inDoubtValue)]
    ];
    const dl = CD.clear(CD.$('#reconciliation-summary'));
    summary.forEach(([label, value]) => {
      dl.appendChild(h('dt', { class: 'col-5 col-md-3 text-body-secondary', text: label }));
      dl.appendChild(h('dd', { class: 'col-7 col-md-3', text: value }));
    });
    const tbody = CD.clear(CD.$('#reconciliation-table tbody'));
    r.inDoubtOrders.forEach((o) =>
      tbody.appendChild(
        h(
          'tr',
          {},
          h('td', { text: String(o.orderId) }),
          h('td', { class: 'cd-mono', text: o.trId || '-' }),
          h('td', { class: 'cd-mono', text: o.goodsId }),
          h('td', { class: 'text-end', text: CD.fmt.number(o.createCount) }),
          h('td', { class: 'text-end', text: CD.fmt.won(o.value) }),
          h('td', { text: o.status }),
          h('td', { text: o.resultCode || '-' }),
          h('td', { text: CD.fmt.dateTime(o.requestedAt) })
        )
      )
    );
    if (!tbody.firstChild) tbody.appendChild(CD.emptyRow(8, '확인이 필요한 주문이 없습니다.'));
  }
})();

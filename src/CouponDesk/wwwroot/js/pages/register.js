// 발송등록 (spec §3.2), ADMIN and OPERATOR (P5). The form saves a DRAFT as soon as something needs a campaign
// (recipients, banner, 임시저장); 저장/발송 saves, accepts the staged recipient list, asks the server for the final
// check and the cost estimate, confirms with the operator and submits. Every rule is checked again by the server;
// the page only makes the rules visible early (counters, O/X marks, send-time window, night-time confirmation), marks
// every invalid field at once on 저장/발송 and clears a field's message as soon as it is edited (issue 14 point 6).
// The send time lives in register-send-time.js, quick entry in register-quick.js.
(function () {
  'use strict';
  const CD = window.CD;
  const h = CD.h;
  const MAX_QUICK = 100;
  const state = { campaign: null, product: null, list: null, dirty: false, previewUrl: null, bannerFile: null };
  let form;
  let sendTime;
  let quick;

  CD.page({
    id: 'register',
    roles: ['ADMIN', 'OPERATOR'],
    async init(me) {
      form = CD.$('#reg-form');
      form.salesManager.value = me.name || me.loginId;
      setupCounters();
      sendTime = CD.sendTime(form, () => {
        state.dirty = true;
        updateNight();
        schedulePreview();
      });
      setupMessage();
      setupFixClears();
      setupProductPicker();
      setupRecipients();
      setupBanner();
      setupButtons();
      await loadSenderNumbers();
      const id = new URLSearchParams(window.location.search).get('id');
      if (id && /^\d+$/.test(id)) await loadDraft(id);
      await sendTime.refresh(recipientCount());
      form.addEventListener('input', () => {
        state.dirty = true;
      });
      // Unsaved changes: the browser asks before the page is left (menu, reload, closing the tab). The page's own
      // moves (after saving, or to the login page when the session ended) go through CD.go and are not held up.
      window.addEventListener('beforeunload', (event) => {
        if (!state.dirty || CD.leaving) return;
        event.preventDefault();
        event.returnValue = '';
      });
      updateSummary();
    }
  });

  // ---- fields ----
  function setupCounters() {
    CD.$$('[data-counter]', form).forEach((input) => {
      const max = Number(input.dataset.counter);
      const out = CD.$('[data-counter-for=' + input.name + ']', form);
      const update = () => {
        const n = Array.from(input.value.trim()).length;
        out.textContent = n + ' / ' + max;
        out.classList.toggle('over', n > max);
      };
      input.addEventListener('input', update);
      update();
    });
    form.requesterPhone.addEventListener('input', () => {
      form.requesterPhone.value = form.requesterPhone.value.replace(/\D/g, '').slice(0, 11);
    });
    const hint = CD.$('#email-hint');
    form.requesterEmail.addEventListener('input', () => {
      const value = form.requesterEmail.value.trim();
      if (!value) {
        hint.textContent = '';
        return;
      }
      const ok = emailOk(value);
      hint.textContent = ok ? '유효한 이메일 형식입니다.' : '유효하지 않은 이메일 형식입니다.';
      hint.className = 'small mt-1 ' + (ok ? 'text-success' : 'text-danger');
    });
  }

  // The product's one e-mail rule (CD.isEmail mirrors the server's); requesterEmail is at most 100 characters.
  function emailOk(value) {
    return CD.isEmail(value, 100);
  }

  function updateNight() {
    const night = sendTime.isNight();
    CD.$('#night-box').hidden = !night;
    if (!night) {
      form.nightSendConfirmed.checked = false;
      CD.forms.clearField(form, 'nightSendConfirmed');
    }
  }

  // A field the operator edits loses its message at once (captured before the field's own live checks, which may
  // put a new one back): 고객사 no longer stays red once filled.
  function setupFixClears() {
    const clear = (event) => {
      const field = event.target;
      if (!field.name || field.name === 'scheduledAt' || !field.classList.contains('is-invalid')) return;
      CD.forms.clearField(form, field.name);
    };
    form.addEventListener('input', clear, true);
    form.addEventListener('change', clear, true);
  }

  function setupMessage() {
    const fields = [
      ['mmsTitle', 40, '제목은 40byte(한글 20자)까지 입력할 수 있습니다.'],
      ['mmsBody', 2000, '내용은 2,000byte(한글 1,000자)까지 입력할 수 있습니다.']
    ];
    fields.forEach(([name, max, overMessage]) => {
      const input = form[name];
      const counter = CD.$('#' + name + '-bytes');
      const update = () => {
        const m = CD.eucKr.measure(input.value);
        counter.textContent = CD.fmt.number(m.bytes) + ' / ' + CD.fmt.number(max) + ' byte';
        const bad = m.unencodable.length > 0;
        counter.classList.toggle('over', m.bytes > max || bad);
        CD.forms.clearField(form, name);
        // Not cut off silently: the counter turns red and the message says why; the save is refused instead.
        if (bad) CD.forms.fieldError(form, name, 'MMS에서 사용할 수 없는 문자(이모지 등)가 포함되어 있습니다: ' + m.unencodable.join(' '));
        else if (m.bytes > max) CD.forms.fieldError(form, name, overMessage);
        CD.$(name === 'mmsTitle' ? '#phone-title' : '#phone-body').textContent = input.value;
      };
      input.addEventListener('input', update);
      update();
    });
  }

  async function loadSenderNumbers() {
    const numbers = await CD.api('GET', '/api/sender-numbers');
    const select = CD.clear(form.senderNumber);
    (numbers || []).forEach((n) => select.appendChild(h('option', { value: n.number, selected: n.isDefault, text: CD.fmt.phone(n.number) + (n.description ? ' · ' + n.description : '') })));
    if (!numbers || !numbers.length) select.appendChild(h('option', { value: '', text: '등록된 발신번호가 없습니다' }));
    const update = () => {
      CD.$('#phone-sender').textContent = form.senderNumber.value ? CD.fmt.phone(form.senderNumber.value) : '발신번호';
    };
    select.addEventListener('change', update);
    update();
  }

  // ---- product ----
  function setupProductPicker() {
    const modalEl = CD.$('#product-picker');
    CD.$('#product-search-open').addEventListener('click', () => {
      window.bootstrap.Modal.getOrCreateInstance(modalEl).show();
      searchProducts();
    });
    modalEl.addEventListener('shown.bs.modal', () => CD.$('#picker-q').focus());
    CD.$('#picker-form').addEventListener('submit', (event) => {
      event.preventDefault();
      searchProducts();
    });
  }

  async function searchProducts() {
    const body = CD.clear(CD.$('#picker-table tbody'));
    const result = await CD.api('GET', '/api/products', { query: { q: CD.$('#picker-q').value.trim(), status: 'ON_SALE', pageSize: 30 } });
    result.items.forEach((p) => {
      const pick = h('button', { type: 'button', class: 'btn btn-sm btn-primary', text: '선택', 'aria-label': (p.name || p.goodsId) + ' 선택' });
      pick.addEventListener('click', () => selectProduct(p));
      body.appendChild(
        h(
          'tr',
          {},
          h('td', {}, CD.authImage(h('img', { class: 'cd-thumb', alt: '', width: '48', height: '48' }), p.imageUrl)),
          h('td', { class: 'fw-semibold', text: p.name || p.goodsId }),
          h('td', { text: p.exchangeBranch || '-' }),
          h('td', { class: 'text-end', text: CD.fmt.won(p.oriPrice) }),
          h('td', { text: p.validity || '-' }),
          h('td', { class: 'text-end' }, pick)
        )
      );
    });
    if (!result.items.length) body.appendChild(CD.emptyRow(6));
  }

  function selectProduct(p) {
    if (p.validEndType === 'E' && p.validEndValue && p.validEndValue.replace(/\D/g, '').slice(0, 8) < CD.fmt.todayKst().replace(/-/g, '')) {
      CD.forms.fieldError(form, 'goodsId', '유효기간이 지난 상품은 선택할 수 없습니다.');
      return;
    }
    state.product = p;
    state.dirty = true;
    window.bootstrap.Modal.getOrCreateInstance(CD.$('#product-picker')).hide();
    showProduct(p);
    schedulePreview();
  }

  function showProduct(p) {
    CD.forms.clearField(form, 'goodsId');
    form.goodsId.value = p.name || p.goodsId;
    CD.$('#product-validity').textContent = p.validity || '-';
    CD.$('#product-price').textContent = p.price != null ? CD.fmt.number(p.price) + ' / ' + CD.fmt.number(p.oriPrice) + ' (원)' : '-';
    CD.$('#product-branch').textContent = p.exchangeBranch || '-';
    const img = CD.$('#product-image');
    img.hidden = false;
    CD.authImage(img, p.imageUrl);
    updateSummary();
  }

  // ---- live coupon preview through the real renderer (POST /api/rendering/preview) ----
  let previewTimer = null;
  function schedulePreview() {
    window.clearTimeout(previewTimer);
    previewTimer = window.setTimeout(() => renderPreview().catch(() => {}), 400);
  }

  function validUntil(p) {
    const sendDay = form.scheduledAt.value ? form.scheduledAt.value.slice(0, 10) : CD.fmt.todayKst();
    if (p.validEndType === 'E' && p.validEndValue) {
      const d = p.validEndValue.replace(/\D/g, '');
      return d.slice(0, 4) + '-' + d.slice(4, 6) + '-' + d.slice(6, 8);
    }
    const days = Number(p.validEndValue) || 0;
    const date = new Date(sendDay + 'T00:00:00+09:00');
    return CD.fmt.date(new Date(date.getTime() + days * 86400000));
  }

  async function renderPreview() {
    const p = state.product;
    if (!p) return;
    const data = new FormData();
    data.append('productName', p.name || p.goodsId);
    data.append('brand', p.exchangeBranch || '');
    data.append('validUntil', validUntil(p));
    data.append('couponType', 'BARCODE');
    try {
      data.append('productImage', await CD.api('GET', p.imageUrl.replace('size=small', 'size=large'), { as: 'blob' }), 'product.jpg');
    } catch (e) {
      // no cached image: the renderer draws its placeholder
    }
    if (form.useBanner.checked && state.bannerFile) data.append('bannerImage', state.bannerFile, state.bannerFile.name);
    const label = CD.$('#preview-size');
    try {
      const blob = await CD.api('POST', '/api/rendering/preview', { form: data, as: 'blob' });
      if (state.previewUrl) URL.revokeObjectURL(state.previewUrl);
      state.previewUrl = URL.createObjectURL(blob);
      const img = CD.$('#coupon-preview');
      img.src = state.previewUrl;
      img.hidden = false;
      CD.$('#coupon-placeholder').hidden = true;
      const kb = Math.ceil(blob.size / 1024);
      label.textContent = '이미지 크기 ' + kb + ' KB / 300 KB';
      label.className = 'small text-center mt-2 mb-0 fw-semibold ' + (kb <= 300 ? 'text-success' : 'text-danger');
    } catch (e) {
      if (!e.redirected) {
        label.textContent = e.detail;
        label.className = 'small text-center mt-2 mb-0 text-danger';
      }
    }
  }

  // ---- banner ----
  function setupBanner() {
    form.useBanner.addEventListener('change', () => {
      CD.$('#banner-box').hidden = !form.useBanner.checked;
      schedulePreview();
    });
    form.bannerImage.addEventListener('change', async () => {
      CD.forms.clearField(form, 'bannerImage');
      const file = form.bannerImage.files[0];
      if (!file) return;
      if (!/^image\/(jpeg|png|gif)$/.test(file.type) || file.size > 5 * 1024 * 1024) {
        CD.forms.fieldError(form, 'bannerImage', '배너 이미지는 5MB 이하의 JPG, PNG, GIF 파일만 가능합니다.');
        return;
      }
      try {
        const campaign = await ensureDraft();
        if (!campaign) return;
        await uploadRaw('PUT', '/api/campaigns/' + campaign.id + '/banner', file);
        state.bannerFile = file;
        CD.toast('배너가 등록되었습니다.');
        schedulePreview();
      } catch (e) {
        if (!e.redirected) CD.forms.fieldError(form, 'bannerImage', e.detail);
      }
    });
  }

  async function uploadRaw(method, path, file) {
    const session = CD.session.get();
    const response = await fetch(CD.apiUrl(path), {
      method,
      headers: { Authorization: 'Bearer ' + session.token, 'Content-Type': 'application/octet-stream', Accept: 'application/json' },
      body: file
    });
    if (!response.ok) {
      // Let the common handler read the problem (401 → login) by repeating nothing: parse it here.
      let problem = {};
      try {
        problem = await response.json();
      } catch (e) {
        problem = {};
      }
      if (response.status === 401) {
        CD.session.clear();
        CD.flash.set(problem.detail || CD.messages.expired, 'warning');
        CD.go('login.html');
      }
      throw new CD.ApiError(response.status, Object.assign({ detail: CD.messages.apiFailed }, problem));
    }
    CD.idle.schedule();
    return response.status === 204 ? null : response.json();
  }

  // ---- recipients ----
  function setupRecipients() {
    const area = form.recipientList;
    quick = CD.quickEntry(area, { max: MAX_QUICK, onMessage: showRecipientMessage });
    const draw = quick.redraw;
    CD.$('#quick-reset').addEventListener('click', async () => {
      if (!area.value || (await CD.confirm('입력한 모든 휴대폰 번호를 초기화하시겠습니까?', { title: '초기화' }))) {
        area.value = '';
        draw();
      }
    });
    CD.$('#quick-register').addEventListener('click', (event) =>
      CD.busy(event.currentTarget, '등록 중...', async () => {
        const lines = quick.lines().filter((l) => l);
        if (!lines.length) {
          showRecipientMessage('간편등록에 수신자 휴대폰 번호를 입력해주세요.', 'danger');
          return;
        }
        const campaign = await ensureDraft();
        if (!campaign) return;
        await stage(() => CD.api('POST', '/api/campaigns/' + campaign.id + '/recipient-lists/quick', { body: { lines } }));
      })
    );
    form.recipientFile.addEventListener('change', async () => {
      const file = form.recipientFile.files[0];
      if (!file) return;
      if (/\.xls$/i.test(file.name)) {
        showRecipientMessage('엑셀 97-2003(.xls) 형식은 지원하지 않습니다. .xlsx 또는 .csv로 저장한 뒤 업로드하세요.', 'danger');
        return;
      }
      const campaign = await ensureDraft();
      if (!campaign) return;
      await stage(() => uploadRaw('POST', '/api/campaigns/' + campaign.id + '/recipient-lists?fileName=' + encodeURIComponent(file.name), file));
    });
    CD.$('#template-download').addEventListener('click', () => CD.download('/api/recipient-lists/template', null, '수신자_등록_샘플.xlsx').catch((e) => showRecipientMessage(e.detail, 'danger')));
    CD.$('#errors-download').addEventListener('click', () =>
      CD.download('/api/campaigns/' + state.campaign.id + '/recipient-lists/' + state.list.listId + '/errors', null, '수신자_오류목록.csv').catch((e) => showRecipientMessage(e.detail, 'danger'))
    );
    // Switching tabs with data asks first, then clears (spec §3.2.3).
    CD.$$('[data-bs-toggle=tab]').forEach((tab) =>
      tab.addEventListener('show.bs.tab', async (event) => {
        const hasData = event.relatedTarget && event.relatedTarget.id === 'tab-quick' ? !!area.value : !!form.recipientFile.value;
        if (!hasData || event.detail === 'confirmed') return;
        event.preventDefault();
        if (await CD.confirm('다른 탭으로 이동하면 현재 입력된 내용이 삭제됩니다. 이동하시겠습니까?', { title: '탭 이동' })) {
          area.value = '';
          form.recipientFile.value = '';
          draw();
          window.bootstrap.Tab.getOrCreateInstance(event.target).show();
        }
      })
    );
  }

  function showRecipientMessage(text, kind) {
    const box = CD.$('#recipient-result');
    box.hidden = false;
    const summary = CD.$('#recipient-summary');
    summary.className = 'alert py-2 mb-2 alert-' + kind;
    summary.textContent = text;
  }

  async function stage(call) {
    try {
      state.list = await call();
      showList(state.list);
      updateSummary();
      CD.forms.clearField(form, 'recipientList');
      CD.forms.clearField(form, 'recipientFile');
      // The lead grows with the campaign's size: the earliest allowed time follows the recipient count.
      await sendTime.refresh(recipientCount());
    } catch (e) {
      if (!e.redirected) showRecipientMessage(e.detail, 'danger');
    }
  }

  function showList(list) {
    showRecipientMessage(list.summary, list.errorCount > 0 ? 'warning' : 'success');
    const errorsBox = CD.$('#recipient-errors-box');
    errorsBox.hidden = list.errorCount === 0;
    const errors = CD.clear(CD.$('#recipient-errors tbody'));
    list.errors.forEach((e) => errors.appendChild(h('tr', {}, h('td', { text: String(e.row) }), h('td', { class: 'cd-mono', text: e.input || '-' }), h('td', { class: 'text-danger', text: e.reason }))));
    const preview = CD.clear(CD.$('#recipient-preview tbody'));
    list.preview.forEach((r) => preview.appendChild(h('tr', {}, h('td', { text: String(r.seq) }), h('td', { class: 'cd-mono', text: r.phone }))));
  }

  // ---- saving ----
  function recipientCount() {
    return state.list ? state.list.validCount : state.campaign ? state.campaign.recipientCount : 0;
  }

  function payload() {
    return {
      clientName: form.clientName.value.trim(),
      salesManager: form.salesManager.value.trim(),
      clientRequester: form.clientRequester.value.trim() || null,
      requesterPhone: form.requesterPhone.value.trim() || null,
      requesterEmail: form.requesterEmail.value.trim() || null,
      eventName: form.eventName.value.trim(),
      sendMode: form.sendMode.value,
      // A time the field itself refuses is not saved into the draft (the field shows why); 수신자 등록 still works.
      scheduledAt: sendTime.valueForSave(),
      nightSendConfirmed: form.nightSendConfirmed.checked,
      goodsId: state.product ? state.product.goodsId : null,
      senderNumber: form.senderNumber.value || null,
      mmsTitle: form.mmsTitle.value,
      mmsBody: form.mmsBody.value,
      useBanner: form.useBanner.checked,
      version: state.campaign ? state.campaign.version : null
    };
  }

  const REQUIRED = [
    ['clientName', '고객사'],
    ['salesManager', '영업담당자'],
    ['clientRequester', '고객사 요청자'],
    ['requesterEmail', '요청자 이메일'],
    ['eventName', '이벤트명'],
    ['scheduledAt', '발송 예약일시'],
    ['goodsId', '상품명'],
    ['mmsTitle', '제목'],
    ['mmsBody', '내용']
  ];

  function missing(name) {
    if (name === 'goodsId') return !state.product;
    if (name === 'scheduledAt') return form.sendMode.value === 'AT' && !form.scheduledAt.value.trim();
    return !String(form[name].value || '').trim();
  }

  function requiredMessage(label) {
    return "필수 항목인 '" + label + "'을(를) 입력해주세요.";
  }

  /**
   * Marks every problem at once — each field's own message next to it, the recipients' in their box — and focuses the
   * first in the page's order (spec §3.0 "Field errors"; issue 14 point 6). Returns true when there is none.
   */
  function markProblems(problems, recipientProblem) {
    const fields = [];
    problems.forEach(([name, message]) => {
      const field = CD.forms.fieldError(form, name, message);
      if (field) fields.push(field);
    });
    if (recipientProblem) {
      const quickTab = CD.$('#tab-quick').classList.contains('active');
      const field = quickTab ? form.recipientList : form.recipientFile;
      field.classList.add('is-invalid');
      fields.push(field);
      showRecipientMessage(recipientProblem, 'danger');
    }
    // The live e-mail hint would say the same as the field's message: one is enough.
    if (form.requesterEmail.classList.contains('is-invalid')) CD.$('#email-hint').textContent = '';
    if (!fields.length) return true;
    fields.sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
    if (fields[0] === form.scheduledAt) sendTime.focus();
    else fields[0].focus();
    return false;
  }

  /** Shows the server's refusal next to its fields; the calendar does not open over the send time's message. */
  function showServerError(e) {
    CD.forms.showError(form, e);
    if (document.activeElement === form.scheduledAt) sendTime.focus();
  }

  function recipientProblem() {
    if (recipientCount() > 0) return null;
    if (CD.$('#tab-quick').classList.contains('active')) {
      const lines = quick.lines().filter((l) => l);
      if (!lines.length) return '간편등록에 수신자 휴대폰 번호를 입력해주세요.';
      if (CD.$$('#quick-marks .bad').length) return '간편등록에 유효하지 않은 휴대폰 번호가 있습니다. (X 표시 확인)';
      return '입력한 번호를 [수신자 등록]으로 등록해 주세요.';
    }
    return form.recipientFile.value ? '등록된 수신자 휴대폰 번호가 없습니다.' : '대량등록(엑셀)에 파일을 업로드해주세요.';
  }

  // Everything the page can tell before asking the server (which checks it all again).
  function formProblems() {
    const problems = [];
    REQUIRED.forEach(([name, label]) => {
      if (missing(name)) problems.push([name, requiredMessage(label)]);
    });
    const email = form.requesterEmail.value.trim();
    if (email && !emailOk(email)) problems.push(['requesterEmail', '유효하지 않은 이메일 형식입니다.']);
    const timeProblem = sendTime.problem();
    if (timeProblem) problems.push(['scheduledAt', timeProblem]);
    else if (!CD.$('#night-box').hidden && !form.nightSendConfirmed.checked) problems.push(['nightSendConfirmed', '야간 발송 확인에 체크해 주세요.']);
    [
      ['mmsTitle', 40, '제목은 40byte(한글 20자)까지 입력할 수 있습니다.'],
      ['mmsBody', 2000, '내용은 2,000byte(한글 1,000자)까지 입력할 수 있습니다.']
    ].forEach(([name, max, over]) => {
      const m = CD.eucKr.measure(form[name].value);
      if (m.unencodable.length) problems.push([name, 'MMS에서 사용할 수 없는 문자(이모지 등)가 포함되어 있습니다: ' + m.unencodable.join(' ')]);
      else if (m.bytes > max) problems.push([name, over]);
    });
    if (form.useBanner.checked && !state.bannerFile && !(state.campaign && state.campaign.hasBanner)) problems.push(['bannerImage', requiredMessage('배너 파일')]);
    return problems;
  }

  /** Creates the draft or saves the form into it; returns the campaign or null when the form needs attention. */
  async function ensureDraft() {
    const needed = [['clientName', '고객사'], ['eventName', '이벤트명']].filter(([name]) => missing(name));
    if (needed.length) {
      needed.forEach(([name]) => CD.forms.clearField(form, name));
      markProblems(needed.map(([name, label]) => [name, requiredMessage(label)]), null);
      return null;
    }
    try {
      state.campaign = state.campaign
        ? await CD.api('PUT', '/api/campaigns/' + state.campaign.id, { body: payload() })
        : await CD.api('POST', '/api/campaigns', { body: payload() });
      CD.$('#reg-state').textContent = '임시저장 #' + state.campaign.id;
      window.history.replaceState(null, '', 'register.html?id=' + state.campaign.id);
      state.dirty = false;
      return state.campaign;
    } catch (e) {
      if (!e.redirected) showServerError(e);
      return null;
    }
  }

  function updateSummary() {
    const n = recipientCount();
    const unit = state.product ? state.product.oriPrice : null;
    CD.$('#reg-summary').textContent = '수신자 ' + CD.fmt.number(n) + '명' + (unit ? ' · 예상 합계 ' + CD.fmt.won(n * unit) : '');
  }

  function setupButtons() {
    CD.$('#reg-draft').addEventListener('click', (event) =>
      CD.busy(event.currentTarget, '저장 중...', async () => {
        if (await ensureDraft()) CD.toast('임시저장되었습니다.');
      })
    );
    CD.$('#reg-cancel').addEventListener('click', async () => {
      if (state.dirty && !(await CD.confirm('작성 중인 내용이 모두 사라집니다. 정말 취소하시겠습니까?', { title: '취소' }))) return;
      state.dirty = false;
      CD.go('register.html');
    });
    CD.$('#preview-refresh').addEventListener('click', () => renderPreview());
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      await CD.busy(CD.$('#reg-submit'), '확인 중...', submit);
    });
  }

  // The send confirmation (spec §3.2.4): the server's sentence, then what the operator is about to send — event,
  // sender number, title — and the total once.
  function confirmDetails(check) {
    const sender = form.senderNumber.selectedOptions[0];
    const rows = [
      ['이벤트명', form.eventName.value.trim()],
      ['발신자 번호', sender ? sender.textContent : form.senderNumber.value],
      ['제목', form.mmsTitle.value],
      ['합계', CD.fmt.won(check.costEstimate.totalListPrice) + ' (정가 ' + CD.fmt.won(check.costEstimate.unitListPrice) + ' × ' + CD.fmt.number(check.costEstimate.recipients) + '개)']
    ];
    const dl = h('dl', { class: 'row small mb-0 mt-3 border-top pt-3', id: 'submit-confirm-details' });
    rows.forEach(([label, value]) => {
      dl.appendChild(h('dt', { class: 'col-4 fw-normal text-body-secondary', text: label }));
      dl.appendChild(h('dd', { class: 'col-8 mb-1 text-break', text: value }));
    });
    return dl;
  }

  async function submit() {
    CD.forms.clearErrors(form);
    if (!markProblems(formProblems(), recipientProblem())) return;
    const campaign = await ensureDraft();
    if (!campaign) return;
    try {
      if (state.list && state.list.status === 'STAGED') {
        if (state.list.errorCount > 0 && !(await CD.confirm(state.list.confirmMessage || '오류 ' + state.list.errorCount + '건을 제외하고 정상 ' + state.list.validCount + '건으로 진행하시겠습니까?', { title: '수신자 확인' }))) return;
        await CD.api('POST', '/api/campaigns/' + campaign.id + '/recipient-lists/' + state.list.listId + '/accept');
        state.list.status = 'ACCEPTED';
      }
      const check = await CD.api('POST', '/api/campaigns/' + campaign.id + '/submit/check');
      const lines = [check.confirmMessage].concat(check.warnings || []).join('\n');
      if (!(await CD.confirm(lines, { title: '발송 확인', okText: '발송', extra: confirmDetails(check) }))) return;
      const latest = await CD.api('GET', '/api/campaigns/' + campaign.id);
      const result = await CD.api('POST', '/api/campaigns/' + campaign.id + '/submit', { body: { version: latest.version } });
      state.dirty = false;
      // The new campaign's detail, not the dashboard: the operator sees what was scheduled (issue 14 point 7).
      const scheduled = (result && result.campaign) || campaign;
      CD.flash.set(((result && result.message) || '발송 요청이 완료되었습니다.') + ' (캠페인 번호 ' + (scheduled.campaignNo || scheduled.id) + ')', 'success');
      CD.go('campaign.html?id=' + encodeURIComponent(campaign.id));
    } catch (e) {
      if (!e.redirected) showServerError(e);
    }
  }

  // ---- an existing draft (register.html?id=N) ----
  async function loadDraft(id) {
    const c = await CD.api('GET', '/api/campaigns/' + id);
    if (c.status !== 'DRAFT') {
      CD.alert(CD.$('#cd-flash'), '임시저장 상태의 발송 건만 수정할 수 있습니다.', 'warning');
      return;
    }
    state.campaign = c;
    CD.$('#reg-state').textContent = '임시저장 #' + c.id;
    form.clientName.value = c.clientName || '';
    form.salesManager.value = c.salesManager || '';
    form.eventName.value = c.eventName || '';
    form.mmsTitle.value = c.mmsTitle || '';
    form.mmsBody.value = c.mmsBody || '';
    form.useBanner.checked = c.useBanner;
    CD.$('#banner-box').hidden = !c.useBanner;
    if (c.senderNumber) form.senderNumber.value = c.senderNumber;
    if (c.sendMode === 'NOW') {
      form.sendMode.value = 'NOW';
      sendTime.applyMode();
    } else if (c.scheduledAt) {
      sendTime.show(c.scheduledAt);
    }
    form.nightSendConfirmed.checked = c.nightSendConfirmed;
    // Masked personal fields are not put back into the form: they are typed again when changed.
    ['clientName', 'salesManager', 'eventName', 'mmsTitle', 'mmsBody'].forEach((n) => form[n].dispatchEvent(new Event('input')));
    updateNight();
    if (c.product) {
      try {
        const detail = await CD.api('GET', '/api/products/' + encodeURIComponent(c.product.goodsId));
        state.product = detail.product;
        showProduct(detail.product);
        schedulePreview();
      } catch (e) {
        // a product that left the catalog is picked again
      }
    }
    updateSummary();
  }
})();

// C/S (spec §3.4): search by phone, coupon number or last 4 + phone; the result table with its badges, counters and
// action buttons (a disabled one is grey and says why); a click expands the row into 쿠폰 정보, 발송 이력, CS 처리 이력
// and 번호변경 계보, with 원문 보기, 이미지 보기 and 상태 새로고침. Masked everywhere; a revealed value lasts until the
// panel closes. ADMIN/OPERATOR only (P10–P17).
(function () {
  'use strict';
  const CD = window.CD;
  const h = CD.h;
  const COLUMNS = ['No', '발송일시', '고객사', '이벤트명', '상품명', '정상단가', '유효기간', '쿠폰상태', '발송상태', '휴대폰번호', '쿠폰번호', '재발송', '번호변경', 'CS 처리'];
  const state = { query: null, cursor: null, shown: 0, total: 0, me: null, rows: new Map() };

  CD.page({
    id: 'cs',
    roles: ['ADMIN', 'OPERATOR'],
    async init(me) {
      state.me = me;
      const form = CD.$('#cs-search-form');
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        search(form, false);
      });
      CD.$$('[data-clear]', form).forEach((button) =>
        button.addEventListener('click', () => {
          const input = form.elements[button.dataset.clear];
          input.value = '';
          input.focus();
        })
      );
      form.phone.addEventListener('input', () => {
        form.phone.value = form.phone.value.replace(/[^0-9-]/g, '');
      });
      CD.$('#cs-more').addEventListener('click', () => search(form, true));
      const params = new URLSearchParams(window.location.search);
      if (params.get('phone') || params.get('couponNumber')) {
        form.phone.value = params.get('phone') || '';
        form.couponNumber.value = params.get('couponNumber') || '';
        await search(form, false);
      }
    }
  });

  async function search(form, more) {
    CD.forms.clearErrors(form);
    CD.alert(CD.$('#cs-alert'), null);
    if (!more) {
      const phone = form.phone.value.replace(/[^0-9]/g, '');
      const couponNumber = form.couponNumber.value.trim();
      if (!phone && !couponNumber) {
        CD.forms.showError(form, { detail: '쿠폰번호 또는 휴대폰 번호를 입력하세요.', errors: {} });
        return;
      }
      state.query = { phone, couponNumber };
      state.cursor = null;
    }
    const button = more ? CD.$('#cs-more') : CD.$('#cs-search');
    let page;
    try {
      page = await CD.busy(button, null, () => CD.api('POST', '/api/cs/search', { body: Object.assign({ cursor: state.cursor }, state.query), idempotencyKey: false }));
    } catch (e) {
      if (!e.redirected) CD.forms.showError(form, e);
      return;
    }
    const body = CD.$('#cs-table tbody');
    if (!more) {
      CD.clear(body);
      state.shown = 0;
      state.rows.clear();
      drawScheduled(page.scheduled || []);
    }
    page.items.forEach((item) => {
      state.shown += 1;
      body.appendChild(rowElement(item, state.shown));
    });
    state.total = page.total;
    if (state.shown === 0) body.appendChild(CD.emptyRow(COLUMNS.length, page.message || CD.messages.empty));
    state.cursor = page.nextCursor;
    CD.$('#cs-count').textContent = '조회 결과 (표시 ' + CD.fmt.number(state.shown) + ' / 전체 ' + CD.fmt.number(page.total) + '건)';
    CD.$('#cs-more-box').hidden = !page.nextCursor;
    initTooltips(body);
  }

  function drawScheduled(list) {
    const box = CD.$('#cs-scheduled');
    const ul = CD.clear(CD.$('#cs-scheduled-list'));
    box.hidden = list.length === 0;
    list.forEach((s) =>
      ul.appendChild(
        h(
          'li',
          { class: 'list-group-item d-flex flex-wrap gap-2 justify-content-between' },
          h('span', {}, CD.badge('발급 전', 'light'), ' ', h('strong', { text: s.clientName }), ' · ', s.eventName, ' · ', s.productName || '-'),
          h('span', { class: 'text-body-secondary small' }, '발송 예정 ', s.sendAt || '-', ' · ', s.phone, ' · ', h('a', { href: 'campaign.html?id=' + s.campaignId, text: '발송 상세' }))
        )
      )
    );
  }

  function td(label, content, cls) {
    return h('td', { 'data-label': label, class: cls || null }, content);
  }

  function rowElement(item, no) {
    state.rows.set(item.itemId, item);
    const tr = h('tr', { class: 'cs-row', dataset: { item: String(item.itemId), no: String(no) }, tabindex: '0', 'aria-expanded': 'false' });
    fillRow(tr, item, no);
    tr.addEventListener('click', (event) => {
      if (event.target.closest('button, a, .cs-disabled-wrap')) return;
      toggle(tr);
    });
    tr.addEventListener('keydown', (event) => {
      if ((event.key === 'Enter' || event.key === ' ') && event.target === tr) {
        event.preventDefault();
        toggle(tr);
      }
    });
    return tr;
  }

  function fillRow(tr, item, no) {
    CD.clear(tr);
    const open = tr.classList.contains('cs-open');
    tr.append(
      td(COLUMNS[0], h('span', {}, h('span', { class: 'cs-toggle', 'aria-hidden': 'true', text: item.hasHistory ? (open ? '▲' : '▼') : '' }), String(no))),
      td(COLUMNS[1], item.sendAt || '-'),
      td(COLUMNS[2], item.clientName),
      td(COLUMNS[3], item.eventName),
      td(COLUMNS[4], item.productName || '-'),
      td(COLUMNS[5], CD.fmt.won(item.listPrice), 'text-end'),
      td(COLUMNS[6], (item.validUntil || '-') + (item.expired ? ' (만료)' : '')),
      td(COLUMNS[7], CD.badge(item.couponLabel, item.couponBadge)),
      td(COLUMNS[8], h('span', {}, item.deliveryLabel, item.deliveryReason ? h('div', { class: 'small text-danger', text: item.deliveryReason }) : null, item.approvalPending ? h('div', {}, CD.badge('승인 대기', 'warning')) : null)),
      td(COLUMNS[9], h('span', { class: 'cd-mono', 'data-role': 'phone', text: item.phone })),
      td(COLUMNS[10], h('span', { class: 'cd-mono', 'data-role': 'coupon', text: item.couponNumber || '-' })),
      td(COLUMNS[11], item.resendCount + '/' + item.maxResends, 'text-center'),
      td(COLUMNS[12], item.phoneChangeCount + '/' + item.maxPhoneChanges, 'text-center'),
      td(COLUMNS[13], [actionButton(tr, item, 'resend', '재발송'), actionButton(tr, item, 'discard', '쿠폰폐기'), actionButton(tr, item, 'changeNumber', '번호변경'), actionButton(tr, item, 'memo', '기타')], 'cs-actions-cell')
    );
  }

  // Enabled: a real button. Disabled: a grey outline button inside a focusable wrapper that carries the reason (spec §3.4.4).
  function actionButton(tr, item, action, label) {
    const rule = item.actions[action];
    if (rule.enabled) {
      const button = h('button', { type: 'button', class: 'btn btn-sm ' + (action === 'discard' ? 'btn-outline-danger' : 'btn-outline-primary'), 'data-action': action, text: label });
      button.addEventListener('click', () => runAction(tr, action, button));
      return button;
    }
    return h(
      'span',
      { class: 'cs-disabled-wrap', tabindex: '0', title: rule.reason, 'data-bs-toggle': 'tooltip', 'data-reason': rule.reason, 'data-action-disabled': action },
      h('button', { type: 'button', class: 'btn btn-sm btn-outline-secondary', disabled: true, text: label, 'aria-label': label + ' (사용 불가: ' + rule.reason + ')' })
    );
  }

  function initTooltips(root) {
    CD.$$('[data-bs-toggle=tooltip]', root).forEach((el) => window.bootstrap.Tooltip.getOrCreateInstance(el));
  }

  function context(tr) {
    const itemId = Number(tr.dataset.item);
    return {
      row: state.rows.get(itemId),
      refused: (e) => {
        if (e.problem && e.problem.item) redraw(tr, e.problem.item);
        showRowAlert(e.detail, 'warning');
      }
    };
  }

  async function runAction(tr, action, button) {
    CD.alert(CD.$('#cs-alert'), null);
    const ctx = context(tr);
    const answer = await CD.cs[action](ctx);
    if (!answer) {
      button.focus();
      return;
    }
    if (answer.item) redraw(tr, answer.item);
    CD.toast(answer.message);
    if (answer.message && answer.message.indexOf('자동으로 재시도') >= 0) showRowAlert(answer.message, 'warning');
    // A number change after delivery adds the replacement: search again so it shows.
    if (action === 'changeNumber' && ctx.row.actions.changeMode === 'AfterSend') await search(CD.$('#cs-search-form'), false);
  }

  function showRowAlert(text, kind) {
    const box = CD.$('#cs-alert');
    CD.alert(box, text, kind);
    box.focus();
  }

  function redraw(tr, item) {
    fillRow(tr, item, Number(tr.dataset.no));
    state.rows.set(item.itemId, item);
    initTooltips(tr);
    const next = tr.nextElementSibling;
    if (tr.classList.contains('cs-open') && next && next.classList.contains('cs-detail')) loadDetail(tr, next);
  }

  function toggle(tr) {
    const next = tr.nextElementSibling;
    if (tr.classList.contains('cs-open')) {
      tr.classList.remove('cs-open');
      tr.setAttribute('aria-expanded', 'false');
      if (next && next.classList.contains('cs-detail')) next.remove(); // revealed values go with it
      fillRow(tr, state.rows.get(Number(tr.dataset.item)), Number(tr.dataset.no));
      initTooltips(tr);
      return;
    }
    tr.classList.add('cs-open');
    tr.setAttribute('aria-expanded', 'true');
    const detail = h('tr', { class: 'cs-detail', dataset: { item: tr.dataset.item } }, h('td', { colspan: String(COLUMNS.length) }, h('div', { class: 'text-body-secondary small', text: '불러오는 중…' })));
    tr.after(detail);
    fillRow(tr, state.rows.get(Number(tr.dataset.item)), Number(tr.dataset.no));
    initTooltips(tr);
    loadDetail(tr, detail);
  }

  async function loadDetail(tr, detailRow) {
    const cell = detailRow.firstElementChild;
    try {
      const d = await CD.api('GET', '/api/cs/items/' + tr.dataset.item);
      CD.clear(cell).appendChild(panel(tr, d));
    } catch (e) {
      if (!e.redirected) CD.clear(cell).appendChild(h('div', { class: 'text-danger small', text: e.detail }));
    }
  }

  function section(title, content) {
    return h('section', { class: 'col-12 col-xl-6' }, h('h3', { text: title }), content);
  }

  function dl(pairs) {
    const list = h('dl');
    pairs.filter((p) => p).forEach(([k, v]) => list.append(h('dt', { text: k }), h('dd', {}, v === null || v === undefined || v === '' ? '-' : v)));
    return list;
  }

  function panel(tr, d) {
    const row = d.row;
    const c = d.coupon;
    const ctx = context(tr);
    const phone = h('span', { class: 'cd-mono', 'data-role': 'panel-phone', text: row.phone });
    const coupon = h('span', { class: 'cd-mono', 'data-role': 'panel-coupon', text: row.couponNumber || '-' });
    const revealButton = (field, target) => {
      const b = h('button', { type: 'button', class: 'btn btn-link btn-sm py-0', 'data-action': 'reveal-' + field, text: '원문 보기' });
      b.addEventListener('click', async () => {
        const answer = await CD.cs.reveal(ctx, field);
        if (!answer) return;
        target.textContent = answer.value;
        target.classList.add('cs-revealed');
        b.remove();
      });
      return b;
    };
    const tools = h('div', { class: 'd-flex flex-wrap gap-2 mb-3' });
    if (d.canViewImage) {
      const imageButton = h('button', { type: 'button', class: 'btn btn-sm btn-outline-secondary', 'data-action': 'image' }, CD.icon('fa-image', 'me-1'), '이미지 보기');
      imageButton.addEventListener('click', () => CD.cs.image(ctx).catch((e) => !e.redirected && showRowAlert(e.detail, 'danger')));
      tools.appendChild(imageButton);
    }
    const refresh = row.actions.refresh;
    const refreshButton = h('button', { type: 'button', class: 'btn btn-sm btn-outline-primary', 'data-action': 'refresh', disabled: !refresh.enabled, title: refresh.enabled ? null : refresh.reason }, CD.icon('fa-rotate', 'me-1'), '상태 새로고침');
    refreshButton.addEventListener('click', async () => {
      try {
        const answer = await CD.busy(refreshButton, null, () => CD.cs.refresh(ctx));
        redraw(tr, answer.item);
        CD.toast(answer.message);
      } catch (e) {
        if (!e.redirected) showRowAlert(e.detail, 'danger');
      }
    });
    tools.appendChild(refreshButton);

    const couponInfo = c
      ? dl([
          ['쿠폰 유형', c.couponTypeLabel],
          ['상태', CD.badge(row.couponLabel, row.couponBadge)],
          ['쿠폰번호', h('span', {}, coupon, d.canRevealCouponNumber ? revealButton('coupon', coupon) : null)],
          ['쿠폰 만료일', c.validUntil + (row.expired ? ' (만료)' : '')],
          c.balance !== null && c.balance !== undefined ? ['총액 / 남은 금액', CD.fmt.won(c.faceValue) + ' / ' + CD.fmt.won(c.balance)] : null,
          ['교환 일시', c.exchangedAt],
          ['교환 지점', c.exchangeBranch],
          ['취소 일시', c.cancelledAt],
          ['상태 출처', (c.statusSourceLabel || '-') + ' · ' + (c.statusUpdatedAt || '-')]
        ])
      : h('p', { class: 'text-body-secondary small', text: '아직 발급되지 않았습니다.' });
    const recipient = dl([['휴대폰 번호', h('span', {}, phone, d.canRevealPhone && row.phone !== '(파기됨)' ? revealButton('phone', phone) : null)]]);

    const messages = table(['요청일시', '유형', '수신번호', '상태', 'DONE_CODE · 설명', '완료일시'], d.messages.map((m) => [m.requestedAt, m.typeLabel, m.phone, m.statusLabel, m.doneCode ? m.doneCode + ' ' + (m.doneDescription || '') : '-', m.doneAt || '-']), '발송 이력이 없습니다.');
    const history = table(['처리일시', '처리유형', '처리자', '결과', '상담 메모', '승인자'], d.history.map((a) => [a.at, a.actionLabel, a.actor || '-', a.resultLabel + (a.failure ? ' (' + a.failure + ')' : ''), h('span', { class: 'cd-prewrap', text: a.memo || '-' }), a.approver || '-']), 'CS 처리 이력이 없습니다.');
    const lineage = d.lineage.length
      ? h(
          'ol',
          { class: 'mb-0 small', 'data-role': 'lineage' },
          d.lineage.map((l) =>
            h('li', {}, l.current ? h('strong', { text: '이 쿠폰' }) : h('a', { href: '#', dataset: { goto: String(l.itemId) }, text: '쿠폰 #' + l.itemId, on: { click: (e) => { e.preventDefault(); focusItem(l.itemId); } } }), ' · ', l.phone, ' · ', l.couponNumber || '-', ' · ', l.deliveryStatus)
          )
        )
      : h('p', { class: 'text-body-secondary small mb-0', text: '번호변경 이력이 없습니다.' });
    return h(
      'div',
      { class: 'cs-panel', 'data-role': 'panel' },
      tools,
      h('div', { class: 'row g-4' }, section('쿠폰 정보', h('div', {}, couponInfo, recipient)), section('번호변경 계보', lineage), section('발송 이력', messages), section('CS 처리 이력', history))
    );
  }

  function table(headers, rows, empty) {
    if (!rows.length) return h('p', { class: 'text-body-secondary small mb-0', text: empty });
    return h(
      'div',
      { class: 'table-responsive' },
      h('table', { class: 'table table-sm mb-0' }, h('thead', {}, h('tr', {}, headers.map((t) => h('th', { scope: 'col', text: t })))), h('tbody', {}, rows.map((r) => h('tr', {}, r.map((v) => h('td', {}, v))))))
    );
  }

  function focusItem(itemId) {
    const tr = CD.$('#cs-table tr.cs-row[data-item="' + itemId + '"]');
    if (!tr) return;
    tr.scrollIntoView({ block: 'center' });
    if (!tr.classList.contains('cs-open')) toggle(tr);
    tr.focus();
  }
})();

// 상품 (spec §3.5): the synced catalog with search and paging, product detail, the sync panel and, for an ADMIN,
// a manual sync (limited per day because COUFUN limits product-list calls).
(function () {
  'use strict';
  const CD = window.CD;
  const PAGE_SIZE = 50;
  const state = { page: 1, total: 0, shown: 0, filter: {}, admin: false, form: null, following: null, catalogSize: null };
  // While a sync runs (started here, by the 04:00 job or by another ADMIN) the panel is re-read every few seconds; when it
  // ends the list is read again. Bounded, so a run that never reports its end does not poll forever.
  const FOLLOW_MS = 3000;
  const FOLLOW_MAX = 200;
  // COUFUN's own SEND_TYPE (how the supplier would send it; informational — we always send our own MMS) and image sizes.
  const SEND_TYPES = { M: 'MMS', L: 'LMS', N: 'SMS', Z: '발송 안 함' };
  const IMAGE_SIZES = { Small: '작은 이미지', Medium: '중간 이미지', Large: '큰 이미지' };

  function sendType(code) {
    return code ? CD.h('span', { title: 'SEND_TYPE ' + code, text: SEND_TYPES[code] || code }) : '-';
  }

  CD.page({
    id: 'products',
    async init(me) {
      const form = CD.$('#product-filter');
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        search(form, 1).catch((e) => CD.forms.showError(form, e));
      });
      CD.$('#product-more').addEventListener('click', () => search(form, state.page + 1).catch((e) => CD.forms.showError(form, e)));
      state.form = form;
      state.admin = me.role === 'ADMIN';
      const syncButton = CD.$('#sync-now');
      if (state.admin) {
        syncButton.hidden = false;
        syncButton.addEventListener('click', () => manualSync(syncButton));
      }
      const [, sync] = await Promise.all([search(form, 1), loadSync()]);
      if (running(sync)) follow();
    }
  });

  function running(sync) {
    return !!(sync && sync.lastRun && sync.lastRun.outcome === 'RUNNING');
  }

  function follow() {
    if (state.following) return state.following;
    state.following = (async () => {
      for (let i = 0; i < FOLLOW_MAX; i++) {
        await new Promise((resolve) => window.setTimeout(resolve, FOLLOW_MS));
        let sync;
        try {
          sync = await loadSync();
        } catch (e) {
          if (e.redirected) return;
          continue;
        }
        if (!running(sync)) {
          await search(state.form, 1).catch((e) => CD.forms.showError(state.form, e));
          return;
        }
      }
    })().finally(() => {
      state.following = null;
    });
    return state.following;
  }

  async function search(form, page) {
    CD.forms.clearErrors(form);
    if (page === 1) state.filter = { q: form.q.value.trim(), status: form.status.value, validEndType: form.validEndType.value };
    const result = await CD.api('GET', '/api/products', { query: Object.assign({ page, pageSize: PAGE_SIZE }, state.filter) });
    const body = CD.$('#product-table tbody');
    if (page === 1) {
      CD.clear(body);
      state.shown = 0;
    }
    state.page = page;
    state.total = result.total;
    result.items.forEach((item) => body.appendChild(row(item)));
    state.shown += result.items.length;
    if (state.shown === 0) body.appendChild(CD.emptyRow(10));
    drawEmptyCatalog();
    CD.$('#product-count').textContent = '조회 결과 (표시 ' + CD.fmt.number(state.shown) + ' / 전체 ' + CD.fmt.number(state.total) + '건)';
    CD.$('#product-more-box').hidden = state.shown >= state.total;
  }

  // No product at all (not just none matching the filter — the sync panel counts the whole catalog): offer the sync.
  function drawEmptyCatalog() {
    if (state.shown !== 0 || state.catalogSize !== 0 || CD.$('#catalog-empty')) return;
    CD.clear(CD.$('#product-table tbody')).appendChild(emptyCatalogRow());
  }

  function emptyCatalogRow() {
    const h = CD.h;
    const cell = h(
      'td',
      { colspan: '10', class: 'text-center text-body-secondary py-5', id: 'catalog-empty' },
      CD.icon('fa-box-open', 'fa-2x mb-3 opacity-50 d-block mx-auto'),
      h('p', { class: 'mb-2', text: '아직 동기화된 상품이 없습니다.' })
    );
    if (state.admin) {
      const button = h('button', { type: 'button', class: 'btn btn-primary', id: 'catalog-empty-sync' }, CD.icon('fa-cloud-arrow-down', 'me-1'), '지금 동기화');
      button.addEventListener('click', () => manualSync(button));
      cell.appendChild(h('p', { class: 'small mb-3', text: '공급사(COUFUN) 상품 목록을 받아 오면 발송등록에서 상품을 고를 수 있습니다.' }));
      cell.appendChild(button);
    } else {
      cell.appendChild(h('p', { class: 'small mb-0', text: '매일 04:00에 자동으로 동기화됩니다. 지금 필요하면 관리자에게 동기화를 요청하세요.' }));
    }
    return h('tr', { class: 'cd-empty' }, cell);
  }

  function statusBadge(status) {
    return status === 'ON_SALE' ? CD.badge('판매중', 'success') : CD.badge('판매중지', 'secondary');
  }

  function row(item) {
    const h = CD.h;
    const img = CD.authImage(h('img', { class: 'cd-thumb', alt: '', loading: 'lazy', width: '48', height: '48' }), item.imageUrl);
    const open = h('a', { href: '#', class: 'fw-semibold text-decoration-none', text: item.name || item.goodsId });
    open.addEventListener('click', (event) => {
      event.preventDefault();
      showDetail(item.goodsId);
    });
    return h(
      'tr',
      {},
      h('td', {}, img),
      h('td', { class: 'cd-mono', text: item.goodsId }),
      h('td', { class: 'cd-truncate', title: item.name || '' }, open),
      h('td', { text: item.exchangeBranch || '-' }),
      h('td', { class: 'text-end', text: CD.fmt.won(item.oriPrice) }),
      h('td', { class: 'text-end', text: CD.fmt.won(item.price) }),
      h('td', { text: item.validity || '-' }),
      h('td', {}, sendType(item.sendType)),
      h('td', {}, statusBadge(item.status)),
      h('td', { text: CD.fmt.dateTime(item.changedAt) })
    );
  }

  async function showDetail(goodsId) {
    const h = CD.h;
    const body = CD.clear(CD.$('#product-modal-body'));
    const modal = window.bootstrap.Modal.getOrCreateInstance(CD.$('#product-modal'));
    modal.show();
    let detail;
    try {
      detail = await CD.api('GET', '/api/products/' + encodeURIComponent(goodsId));
    } catch (e) {
      if (!e.redirected) CD.alert(body, e.detail, 'danger');
      return;
    }
    const p = detail.product;
    CD.$('#product-modal-title').textContent = p.name || p.goodsId;
    const images = h('div', { class: 'd-flex gap-3 flex-wrap mb-3' });
    detail.images.forEach((image) =>
      images.appendChild(
        h(
          'figure',
          { class: 'text-center mb-0' },
          image.cached ? CD.authImage(h('img', { class: 'cd-thumb-lg', alt: IMAGE_SIZES[image.size] || image.size }), image.imageUrl) : h('div', { class: 'cd-thumb-lg d-flex align-items-center justify-content-center text-body-tertiary' }, CD.icon('fa-image')),
          h('figcaption', { class: 'small text-body-secondary mt-1', text: (IMAGE_SIZES[image.size] || image.size) + (image.width ? ' · ' + image.width + '×' + image.height + 'px' : '') })
        )
      )
    );
    const facts = h('dl', { class: 'row mb-3' });
    [
      ['상품코드', p.goodsId],
      ['교환처', p.exchangeBranch],
      ['정가 / 공급가', CD.fmt.won(p.oriPrice) + ' / ' + CD.fmt.won(p.price)],
      ['유효기간', p.validity],
      ['발송타입 (공급사)', p.sendType ? SEND_TYPES[p.sendType] || p.sendType : null],
      ['상태', p.status === 'ON_SALE' ? '판매중' : '판매중지']
    ].forEach(([label, value]) => {
      facts.appendChild(h('dt', { class: 'col-sm-3 text-body-secondary fw-normal', text: label }));
      facts.appendChild(h('dd', { class: 'col-sm-9', text: value || '-' }));
    });
    body.appendChild(images);
    body.appendChild(facts);
    body.appendChild(h('h3', { class: 'h6', text: '상품 정보' }));
    body.appendChild(h('p', { class: 'small cd-prewrap', text: detail.goodsInfo || '-' }));
    body.appendChild(h('h3', { class: 'h6', text: '이용 안내' }));
    body.appendChild(h('p', { class: 'small cd-prewrap', text: detail.useGuide || '-' }));
    body.appendChild(h('h3', { class: 'h6', text: '변경 이력' }));
    const changes = h('tbody');
    detail.changes.forEach((c) => changes.appendChild(h('tr', {}, h('td', { text: CD.fmt.dateTime(c.changedAt) }), h('td', { text: c.field }), h('td', { text: c.oldValue || '-' }), h('td', { text: c.newValue || '-' }))));
    if (!detail.changes.length) changes.appendChild(CD.emptyRow(4, '변경 이력이 없습니다.'));
    body.appendChild(h('table', { class: 'table table-sm table-cd' }, h('thead', {}, h('tr', {}, h('th', { text: '일시' }), h('th', { text: '항목' }), h('th', { text: '이전' }), h('th', { text: '변경' }))), changes));
  }

  async function loadSync() {
    const sync = await CD.api('GET', '/api/products/sync');
    const h = CD.h;
    const panel = CD.clear(CD.$('#sync-panel'));
    const last = sync.lastRun;
    const add = (label, value) => {
      panel.appendChild(h('dt', { text: label }));
      panel.appendChild(h('dd', {}, value));
    };
    add('마지막 동기화', last ? CD.fmt.dateTime(last.startedAt) : '기록 없음');
    if (last) {
      add('결과', h('span', {}, last.outcome === 'SUCCEEDED' ? CD.badge('성공', 'success') : last.outcome === 'RUNNING' ? CD.badge('진행 중', 'info') : CD.badge('실패', 'danger'), last.productCount != null ? ' 상품 ' + CD.fmt.number(last.productCount) + '개' : ''));
      add('추가 / 변경 / 판매중지', [last.added, last.changed, last.discontinued].map((n) => CD.fmt.number(n || 0)).join(' / '));
      if (last.error) add('오류', last.error);
    }
    add('다음 예정', CD.fmt.dateTime(sync.nextScheduledAt));
    add('판매중 / 판매중지', CD.fmt.number(sync.productsOnSale) + ' / ' + CD.fmt.number(sync.productsDiscontinued));
    add('오늘 남은 수동 동기화', CD.fmt.number(sync.manualRunsLeftToday) + '회');
    const button = CD.$('#sync-now');
    button.disabled = sync.manualRunsLeftToday <= 0 || (last && last.outcome === 'RUNNING');
    const runs = CD.clear(CD.$('#sync-runs'));
    (sync.recentRuns || []).slice(0, 6).forEach((run) =>
      runs.appendChild(
        h(
          'li',
          { class: 'd-flex justify-content-between border-bottom py-1' },
          h('span', { text: CD.fmt.dateTime(run.startedAt) + ' · ' + (run.triggerKind === 'MANUAL' ? '수동' : '자동') }),
          run.outcome === 'SUCCEEDED' ? CD.badge('성공', 'success') : run.outcome === 'RUNNING' ? CD.badge('진행 중', 'info') : CD.badge('실패', 'danger')
        )
      )
    );
    if (!sync.recentRuns || !sync.recentRuns.length) runs.appendChild(h('li', { class: 'text-body-secondary', text: '실행 기록이 없습니다.' }));
    state.catalogSize = sync.productsOnSale + sync.productsDiscontinued;
    drawEmptyCatalog();
    return sync;
  }

  async function manualSync(button) {
    const alertBox = CD.$('#sync-alert');
    CD.alert(alertBox, null);
    if (!(await CD.confirm('공급사 상품 목록을 지금 동기화하시겠습니까? (일일 조회 횟수 제한이 있습니다)', { title: '지금 동기화' }))) return;
    let alreadyRunning = false;
    await CD.busy(button, '동기화 중...', async () => {
      try {
        await CD.api('POST', '/api/products/sync');
        CD.toast('동기화가 완료되었습니다.');
        await search(state.form, 1);
      } catch (e) {
        if (e.redirected) return;
        // Someone else's run (the 04:00 job, another ADMIN): say so, and show its products when it ends.
        alreadyRunning = e.status === 409;
        CD.alert(alertBox, alreadyRunning ? e.detail + ' 끝나면 목록을 자동으로 새로 고칩니다.' : e.detail, alreadyRunning ? 'info' : 'danger');
      }
    });
    await loadSync().catch(() => {});
    if (alreadyRunning) {
      await follow();
      CD.alert(alertBox, null);
    }
  }
})();

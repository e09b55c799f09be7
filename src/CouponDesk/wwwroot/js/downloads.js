// 다운로드 내역 (spec §3.3.4, §4.8): the header drop-down listing the signed-in user's Excel exports of the last 7 days
// with 생성 중 / 완료 / 만료 / 실패. A request answers at once; a file still being written is watched every few
// seconds and announced when ready. Downloads go through the API (each one is audited); a click after the 24-hour
// window gets the server's "다운로드 기간(24시간)이 만료되었습니다. 다시 요청하세요.".
(function () {
  'use strict';
  const CD = window.CD;
  const POLL_MS = 3000;
  let timer = null;
  let watched = new Set();

  const KIND = { 생성중: 'warning', 완료: 'success', 만료: 'secondary', 실패: 'danger' };

  function menu() {
    return CD.$('#cd-downloads');
  }

  function build() {
    const h = CD.h;
    const toggle = h(
      'button',
      { type: 'button', class: 'btn btn-sm btn-outline-light dropdown-toggle text-nowrap', id: 'cd-downloads-toggle', title: '다운로드 내역', 'aria-label': '다운로드 내역', 'data-bs-toggle': 'dropdown', 'data-bs-auto-close': 'outside', 'aria-expanded': 'false' },
      CD.icon('fa-download'),
      // The words only on wide screens: the ADMIN's menu needs the room at 1280 px.
      h('span', { class: 'd-none d-xxl-inline ms-1', text: '다운로드 내역' }),
      h('span', { class: 'badge rounded-pill text-bg-warning ms-1', id: 'cd-downloads-pending', hidden: true })
    );
    const panel = h(
      'div',
      { class: 'dropdown-menu dropdown-menu-end p-0 cd-downloads-menu', 'aria-labelledby': 'cd-downloads-toggle' },
      h('div', { class: 'px-3 py-2 border-bottom' }, h('span', { class: 'fw-semibold', text: '다운로드 내역' }), h('span', { class: 'small text-body-secondary ms-2', text: '최근 7일 · 파일은 완료 후 24시간 보관' })),
      h('div', { id: 'cd-downloads-alert', class: 'px-3 pt-2', hidden: true }),
      h('ul', { class: 'list-group list-group-flush', id: 'cd-downloads-list' }, h('li', { class: 'list-group-item small text-body-secondary', text: '불러오는 중…' }))
    );
    const box = h('div', { class: 'dropdown', id: 'cd-downloads' }, toggle, panel);
    box.addEventListener('show.bs.dropdown', () => refresh());
    return box;
  }

  function label(view) {
    return view.statusLabel.replace(' ', '');
  }

  function draw(list) {
    const h = CD.h;
    const ul = CD.$('#cd-downloads-list');
    if (!ul) return;
    CD.clear(ul);
    list.forEach((view) => {
      const status = h('span', { class: 'badge rounded-pill text-bg-' + (KIND[label(view)] || 'secondary'), text: view.statusLabel });
      const info = [view.requestedAt + ' 요청'];
      if (view.rowCount !== null && view.rowCount !== undefined) info.push(view.rowCount.toLocaleString('ko-KR') + '건');
      if (view.status === 'READY' && view.expiresAt) info.push(view.expiresAt + '까지');
      const action = view.status === 'READY' || view.status === 'EXPIRED' ? h('button', { type: 'button', class: 'btn btn-sm ' + (view.downloadable ? 'btn-primary' : 'btn-outline-secondary'), text: '다운로드', 'aria-label': view.fileName + ' 다운로드' }) : null;
      if (action) action.addEventListener('click', () => download(view, action));
      ul.appendChild(
        h(
          'li',
          { class: 'list-group-item d-flex align-items-center gap-2', dataset: { export: String(view.id), status: view.status } },
          h('div', { class: 'flex-grow-1 text-truncate' }, h('div', { class: 'small fw-semibold text-truncate', title: view.fileName, text: view.fileName }), h('div', { class: 'small text-body-secondary', text: info.join(' · ') })),
          status,
          action
        )
      );
    });
    if (!list.length) ul.appendChild(h('li', { class: 'list-group-item small text-body-secondary', text: '요청한 엑셀 파일이 없습니다.' }));
  }

  async function refresh() {
    let list;
    try {
      list = await CD.api('GET', '/api/exports');
    } catch (e) {
      if (!e.redirected) showError(e.detail);
      return;
    }
    draw(list);
    const pending = list.filter((v) => v.status === 'REQUESTED' || v.status === 'GENERATING');
    const badge = CD.$('#cd-downloads-pending');
    if (badge) {
      badge.hidden = pending.length === 0;
      badge.textContent = String(pending.length);
    }
    // Announce the ones this tab asked for once they are done.
    list.forEach((v) => {
      if (!watched.has(v.id) || v.status === 'REQUESTED' || v.status === 'GENERATING') return;
      watched.delete(v.id);
      CD.toast(v.status === 'READY' ? '엑셀 파일이 준비되었습니다. 다운로드 내역에서 받으세요.' : '엑셀 파일을 만들지 못했습니다. 다시 요청하세요.');
    });
    window.clearTimeout(timer);
    if (pending.length) timer = window.setTimeout(refresh, POLL_MS);
  }

  function showError(text) {
    const box = CD.$('#cd-downloads-alert');
    if (!box) return;
    box.hidden = !text;
    if (text) CD.alert(box, text, 'warning');
  }

  async function download(view, button) {
    showError(null);
    await CD.busy(button, null, async () => {
      try {
        await CD.saveResponse(await CD.api('GET', '/api/exports/' + view.id + '/file', { as: 'response' }), view.fileName);
      } catch (e) {
        if (e.redirected) return;
        showError(e.detail);
        refresh();
      }
    });
  }

  CD.exports = {
    // Sends an export request (POST path with query/body); a small file is saved at once, a large one is announced.
    async request(path, options) {
      const view = await CD.api('POST', path, options);
      if (view.downloadable) {
        await CD.saveResponse(await CD.api('GET', '/api/exports/' + view.id + '/file', { as: 'response' }), view.fileName);
        return view;
      }
      watched.add(view.id);
      CD.toast('엑셀 파일을 만들고 있습니다. 완료되면 다운로드 내역에서 받을 수 있습니다.');
      refresh();
      return view;
    },
    refresh
  };

  CD.headerExtras = (CD.headerExtras || []).concat([
    function (me, restricted) {
      return restricted ? null : build();
    }
  ]);
})();

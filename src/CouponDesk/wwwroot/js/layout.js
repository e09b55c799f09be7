// Common layout (spec §3.0): header with the role-aware menu, the signed-in user, logout; the page guard that sends a
// role to the dashboard from a page it may not use; the idle warning two minutes before the session expires (§2.5).
(function () {
  'use strict';

  const CD = window.CD;
  const ALL = ['ADMIN', 'OPERATOR', 'VIEWER'];
  const STAFF = ['ADMIN', 'OPERATOR'];

  // Screens whose APIs are not in this release yet are not offered (ready: false), so no menu leads nowhere.
  CD.menu = Object.freeze([
    { id: 'dashboard', label: '대시보드', href: 'index.html', icon: 'fa-gauge-high', roles: ALL, ready: true },
    { id: 'register', label: '발송등록', href: 'register.html', icon: 'fa-paper-plane', roles: STAFF, ready: true },
    { id: 'campaigns', label: '발송조회', href: 'campaigns.html', icon: 'fa-list-check', roles: ALL, ready: true },
    { id: 'in-doubt', label: '발급 확인 필요', href: 'in-doubt.html', icon: 'fa-circle-question', roles: STAFF, ready: true },
    { id: 'cs', label: 'C/S', href: 'cs.html', icon: 'fa-headset', roles: STAFF, ready: true },
    { id: 'products', label: '상품', href: 'products.html', icon: 'fa-gift', roles: ALL, ready: true },
    { id: 'users', label: '사용자관리', href: 'users.html', icon: 'fa-users-gear', roles: ['ADMIN'], ready: true },
    { id: 'audit', label: '감사로그', href: 'audit.html', icon: 'fa-clipboard-list', roles: ['ADMIN'], ready: true },
    { id: 'settings', label: '설정', href: 'settings.html', icon: 'fa-gear', roles: ['ADMIN'], ready: true }
  ]);

  CD.can = function (role, menuId) {
    const item = CD.menu.find((m) => m.id === menuId);
    return !!item && item.roles.indexOf(role) >= 0;
  };

  function header(me, activeId, restricted) {
    const h = CD.h;
    const nav = h('ul', { class: 'navbar-nav me-auto mb-2 mb-lg-0', id: 'cd-menu' });
    if (!restricted) {
      CD.menu
        .filter((m) => m.ready && m.roles.indexOf(me.role) >= 0)
        .forEach((m) => {
          const active = m.id === activeId;
          nav.appendChild(
            h(
              'li',
              { class: 'nav-item' },
              h('a', { class: 'nav-link' + (active ? ' active' : ''), href: m.href, 'aria-current': active ? 'page' : null, dataset: { menu: m.id } }, CD.icon(m.icon, 'me-1'), m.label)
            )
          );
        });
    }
    const logout = h('button', { type: 'button', class: 'btn btn-sm btn-outline-light', id: 'cd-logout' }, CD.icon('fa-right-from-bracket', 'me-1'), '로그아웃');
    logout.addEventListener('click', async () => {
      if (await CD.confirm('로그아웃 하시겠습니까?', { title: '로그아웃' })) await CD.logout();
    });
    const extras = (CD.headerExtras || []).map((make) => make(me, restricted));
    if (!restricted && STAFF.indexOf(me.role) >= 0) extras.unshift(approvalsBadge());
    const user = h(
      'div',
      { class: 'd-flex align-items-center gap-3 text-white' },
      extras,
      h(
        'a',
        { class: 'cd-user text-white text-decoration-none', href: 'password.html', title: '비밀번호 변경' },
        CD.icon('fa-circle-user', 'me-1'),
        h('span', { class: 'fw-semibold', id: 'cd-user-name', text: me.name || me.loginId }),
        h('span', { class: 'badge text-bg-light ms-2', id: 'cd-user-role', text: CD.roleLabels[me.role] || me.role })
      ),
      logout
    );
    const collapseId = 'cd-nav';
    return h(
      'nav',
      { class: 'navbar navbar-expand-lg navbar-dark cd-navbar', 'aria-label': '주 메뉴' },
      h(
        'div',
        { class: 'container-fluid' },
        h('a', { class: 'navbar-brand fw-bold', href: 'index.html' }, CD.icon('fa-ticket', 'me-2'), '모바일쿠폰 발송 시스템'),
        h(
          'button',
          { class: 'navbar-toggler', type: 'button', 'data-bs-toggle': 'collapse', 'data-bs-target': '#' + collapseId, 'aria-controls': collapseId, 'aria-expanded': 'false', 'aria-label': '메뉴 열기' },
          h('span', { class: 'navbar-toggler-icon' })
        ),
        h('div', { class: 'collapse navbar-collapse', id: collapseId }, nav, user)
      )
    );
  }

  // 승인 요청 (spec §1.3 item 3, §3.0 header): the link with the number of requests this user may decide, read when a
  // page opens, whenever a page says it changed (CD.approvalsChanged), and every minute while the page is visible
  // (D-APR-7). The timer's calls are background calls: the server does not count them as activity, so a poll never
  // keeps an idle session alive (spec §2.5); a hidden tab does not poll and catches up when shown; a 401 (session over)
  // stops the timer without a word — the idle countdown or the user's next own call leads to the login page.
  // window.CD_APPROVALS_POLL_MS, set before the page loads, shortens the interval for the browser tests.
  const APPROVALS_POLL_MS = window.CD_APPROVALS_POLL_MS || 60000;

  function approvalsBadge() {
    const h = CD.h;
    const count = h('span', { class: 'badge rounded-pill text-bg-warning ms-1', id: 'cd-approvals-count', hidden: true });
    const link = h('a', { class: 'btn btn-sm btn-outline-light text-nowrap', href: 'approvals.html', id: 'cd-approvals', title: '승인 요청' }, CD.icon('fa-user-check'), h('span', { class: 'd-none d-xxl-inline ms-1', text: '승인 요청' }), count);
    let timer = null;
    let stopped = false;
    let lastRead = 0;
    const show = (n) => {
      count.textContent = String(n);
      count.hidden = n === 0;
      link.setAttribute('aria-label', '승인 요청 ' + n + '건');
    };
    const read = async (background) => {
      lastRead = Date.now(); // the attempt, so a failing call is retried a full interval later, not at once
      try {
        const r = await CD.api('GET', '/api/approvals/count', { background });
        show(r.count);
      } catch (e) {
        // The badge is a convenience: the page itself shows the list. A session that is over ends the polling.
        if (e && e.status === 401) stop();
      }
    };
    const stop = () => {
      stopped = true;
      window.clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
    const schedule = () => {
      window.clearTimeout(timer);
      if (stopped || document.visibilityState !== 'visible') return;
      timer = window.setTimeout(tick, Math.max(0, lastRead + APPROVALS_POLL_MS - Date.now()));
    };
    const tick = async () => {
      await read(true);
      schedule();
    };
    function onVisibility() {
      schedule();
    }
    document.addEventListener('visibilitychange', onVisibility);
    CD.approvalsChanged = async () => {
      await read(false);
      schedule();
    };
    CD.approvalsChanged();
    return link;
  }

  CD.logout = async function () {
    const session = CD.session.get();
    try {
      await CD.api('POST', '/api/auth/logout');
    } catch (e) {
      // The session may already be gone; logging out locally is what matters.
    }
    CD.idle.stop();
    CD.session.clear();
    // Every tab of this browser shares the session: they all leave with it (js/tabs.js).
    CD.tabs.ended(session && session.token, '로그아웃되었습니다.', 'info');
    CD.go('login.html');
  };

  // ---- idle warning (spec §2.5): every successful call restarts the countdown ----
  CD.idle = (function () {
    let warnTimer = null;
    let expireTimer = null;
    let tick = null;
    let modal = null;
    let dialog = null;
    let deadline = 0;
    let hiding = false;
    let showAfterHide = false;

    function stop() {
      window.clearTimeout(warnTimer);
      window.clearTimeout(expireTimer);
      window.clearInterval(tick);
    }

    // Activity here or in another tab of the session (js/tabs.js) restarts the countdown and closes the warning.
    function schedule() {
      const session = CD.session.get();
      if (!session || !session.idleTimeoutSeconds) return;
      stop();
      if (dialog && (dialog.dataset.cdState === 'shown' || dialog.dataset.cdState === 'showing')) CD.hideModal(dialog);
      showAfterHide = false;
      // The countdown runs on this tab's clock from the moment of the last answer, so clock skew cannot shorten it.
      deadline = Date.now() + session.idleTimeoutSeconds * 1000;
      const warnAt = Math.max(0, session.idleTimeoutSeconds - (session.warningSeconds || 120)) * 1000;
      warnTimer = window.setTimeout(showWarning, warnAt);
      expireTimer = window.setTimeout(expire, session.idleTimeoutSeconds * 1000);
    }

    function expire() {
      // A throttled background tab's timer may fire late, never early: the deadline is the judge.
      if (Date.now() < deadline) {
        expireTimer = window.setTimeout(expire, deadline - Date.now());
        return;
      }
      stop();
      CD.session.clear();
      CD.flash.set(CD.messages.expired, 'warning');
      CD.go('login.html');
    }

    function ensureDialog() {
      if (dialog) return;
      const h = CD.h;
      const extend = h('button', { type: 'button', class: 'btn btn-primary', id: 'cd-idle-extend', text: '연장' });
      const out = h('button', { type: 'button', class: 'btn btn-outline-secondary', id: 'cd-idle-logout', text: '로그아웃' });
      dialog = h(
        'div',
        { class: 'modal fade', id: 'cd-idle', tabindex: '-1', role: 'alertdialog', 'aria-labelledby': 'cd-idle-title', 'data-bs-backdrop': 'static', 'data-bs-keyboard': 'false' },
        h(
          'div',
          { class: 'modal-dialog modal-dialog-centered' },
          h(
            'div',
            { class: 'modal-content' },
            h('div', { class: 'modal-header' }, h('h2', { class: 'modal-title fs-5', id: 'cd-idle-title' }, CD.icon('fa-clock', 'me-2 text-warning'), '자동 로그아웃 안내')),
            h('div', { class: 'modal-body' }, h('p', { class: 'mb-2', text: '2분 후 자동 로그아웃됩니다. 계속 사용하시겠습니까?' }), h('p', { class: 'text-body-secondary small mb-0', id: 'cd-idle-remaining' })),
            h('div', { class: 'modal-footer' }, out, extend)
          )
        )
      );
      document.body.appendChild(dialog);
      modal = new window.bootstrap.Modal(dialog);
      extend.addEventListener('click', async () => {
        try {
          await CD.api('GET', '/api/auth/me'); // any authenticated call extends the session
          modal.hide();
        } catch (e) {
          if (!e.redirected) expire();
        }
      });
      out.addEventListener('click', () => {
        modal.hide();
        CD.logout();
      });
      dialog.addEventListener('shown.bs.modal', () => extend.focus());
      dialog.addEventListener('hide.bs.modal', () => {
        hiding = true;
        window.clearInterval(tick);
      });
      dialog.addEventListener('hidden.bs.modal', () => {
        hiding = false;
        if (showAfterHide) {
          showAfterHide = false;
          showWarning();
        }
      });
    }

    function showWarning() {
      ensureDialog();
      if (hiding) {
        // Bootstrap ignores show() while the dialog is still closing.
        showAfterHide = true;
        return;
      }
      const remaining = CD.$('#cd-idle-remaining');
      const update = () => {
        const seconds = Math.max(0, Math.round((deadline - Date.now()) / 1000));
        remaining.textContent = '남은 시간: ' + Math.floor(seconds / 60) + '분 ' + String(seconds % 60).padStart(2, '0') + '초';
      };
      update();
      tick = window.setInterval(update, 1000);
      modal.show();
    }

    return { schedule, stop };
  })();

  /**
   * Boots a signed-in page: checks the session (GET /api/auth/me), enforces a required password change and the
   * page's roles, draws the header and runs init(me). options: { id, roles, deniedMessage, allowPasswordChange,
   * signedOut (a page that also serves visitors without a session, e.g. the 404 page: called instead of the redirect) }.
   */
  CD.page = function (options) {
    document.addEventListener('DOMContentLoaded', async () => {
      // A tab opened from a signed-in one (Ctrl+click, a typed address) shares its session.
      const session = await CD.tabs.obtain();
      if (!session || !session.token) {
        if (options.signedOut) {
          options.signedOut();
          return;
        }
        CD.flash.set('로그인이 필요합니다. 로그인해 주세요.', 'info');
        CD.go('login.html');
        return;
      }
      CD.onApiSuccess(() => {
        CD.idle.schedule();
        CD.tabs.activity();
      });
      CD.tabs.on('activity', () => CD.idle.schedule());
      CD.tabs.on('ended', () => CD.idle.stop());
      let me;
      try {
        me = await CD.api('GET', '/api/auth/me');
      } catch (e) {
        if (!e.redirected) showFatal(e.detail);
        return;
      }
      CD.session.update({ loginId: me.loginId, role: me.role, name: me.name, mustChangePassword: me.mustChangePassword });
      if (me.mustChangePassword && !options.allowPasswordChange) {
        CD.go('password.html');
        return;
      }
      const roles = options.roles || ALL;
      if (roles.indexOf(me.role) < 0) {
        CD.flash.set(options.deniedMessage || CD.messages.noAccess, 'warning');
        CD.go('index.html');
        return;
      }
      const slot = CD.$('#cd-header');
      slot.appendChild(header(me, options.id, me.mustChangePassword));
      const flash = CD.flash.take();
      const flashBox = CD.$('#cd-flash');
      if (flash && flashBox) CD.alert(flashBox, flash.text, flash.kind);
      document.body.classList.remove('cd-pending');
      try {
        await options.init(me);
      } catch (e) {
        if (!e.redirected) showFatal(e.detail || CD.messages.apiFailed);
      }
    });
  };

  function showFatal(text) {
    document.body.classList.remove('cd-pending');
    const box = CD.$('#cd-flash');
    if (box) CD.alert(box, text, 'danger');
  }
})();

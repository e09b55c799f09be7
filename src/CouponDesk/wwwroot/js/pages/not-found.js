// 404 (issue 14): the layout for a signed-in user (menu, who is signed in — also when the session is shared by another
// tab, js/tabs.js), otherwise only the way to the login page.
(function () {
  'use strict';
  const CD = window.CD;

  function wireBack() {
    const back = CD.$('#not-found-back');
    // Opened directly (no page of ours before it): the way back is the dashboard link.
    back.hidden = window.history.length <= 1;
    back.addEventListener('click', () => window.history.back());
  }

  CD.page({
    id: 'not-found',
    allowPasswordChange: true,
    init: wireBack,
    signedOut() {
      const home = CD.$('#not-found-home');
      home.href = 'login.html';
      CD.clear(home).append(CD.icon('fa-right-to-bracket', 'me-1'), '로그인 페이지로 이동');
      wireBack();
      document.body.classList.remove('cd-pending');
    }
  });
})();

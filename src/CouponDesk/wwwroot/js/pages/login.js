// 로그인 (spec §3.1): both fields required, the server's own Korean message for every refusal (wrong id or password,
// lockout, inactive, throttled), and the forced password change after a first login or an ADMIN reset.
(function () {
  'use strict';
  const CD = window.CD;

  document.addEventListener('DOMContentLoaded', async () => {
    const form = CD.$('#login-form');
    const alertBox = CD.$('#login-alert');
    const flash = CD.flash.take();
    if (flash) CD.alert(alertBox, flash.text, flash.kind);

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      CD.forms.clearErrors(form);
      const username = form.username.value.trim();
      const password = form.password.value;
      if (!username || !password) {
        CD.alert(alertBox, '아이디와 비밀번호를 모두 입력하세요.', 'danger');
        (username ? form.password : form.username).focus();
        return;
      }
      const button = CD.$('#login-submit');
      await CD.busy(button, '로그인 중...', async () => {
        try {
          const result = await CD.api('POST', '/api/auth/login', { body: { username, password }, anonymous: true });
          const session = {
            token: result.accessToken,
            loginId: result.loginId,
            role: result.role,
            mustChangePassword: result.mustChangePassword,
            idleTimeoutSeconds: result.idleTimeoutSeconds,
            warningSeconds: result.warningSeconds,
            absoluteExpiresAt: result.absoluteExpiresAt
          };
          CD.session.set(session);
          // The server ended this user's older session (one per user): the other tabs continue with this one.
          CD.tabs.loggedIn(session);
          if (result.mustChangePassword) {
            CD.flash.set(result.message || '최초 로그인(또는 비밀번호 초기화) 후에는 비밀번호를 변경해야 합니다.', 'warning');
            CD.go('password.html');
          } else {
            CD.go('index.html');
          }
        } catch (error) {
          form.password.value = '';
          CD.alert(alertBox, error.detail, 'danger');
          form.password.focus();
        }
      });
    });

    // A login page opened while this browser is signed in (this tab or another one) goes straight to the dashboard.
    // Asked only after the form is wired: a submit while the other tabs answer must never fall through to the browser.
    const existing = flash ? null : await CD.tabs.obtain();
    if (existing && existing.token && !CD.leaving) CD.go(existing.mustChangePassword ? 'password.html' : 'index.html');
  });
})();

// 비밀번호 변경 (spec §2.6): the only screen a user with a required change may use; success ends every session.
(function () {
  'use strict';
  const CD = window.CD;

  CD.page({
    id: 'password',
    allowPasswordChange: true,
    init(me) {
      const form = CD.$('#password-form');
      if (me.mustChangePassword) CD.$('#password-cancel').hidden = true;
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        CD.forms.clearErrors(form);
        const body = {
          currentPassword: form.currentPassword.value,
          newPassword: form.newPassword.value,
          newPasswordConfirm: form.newPasswordConfirm.value
        };
        const missing = ['currentPassword', 'newPassword', 'newPasswordConfirm'].filter((name) => !body[name]);
        if (missing.length) {
          missing.forEach((name) => CD.forms.fieldError(form, name, '필수 항목입니다.'));
          form[missing[0]].focus();
          return;
        }
        if (body.newPassword !== body.newPasswordConfirm) {
          CD.forms.fieldError(form, 'newPasswordConfirm', '새 비밀번호가 일치하지 않습니다.');
          form.newPasswordConfirm.focus();
          return;
        }
        await CD.busy(CD.$('#password-submit'), '변경 중...', async () => {
          try {
            const result = await CD.api('POST', '/api/auth/password', { body });
            // Every session of the user ended with the change: sign in again with the new password.
            const ended = CD.session.get();
            CD.idle.stop();
            CD.session.clear();
            const text = (result && result.message) || '비밀번호가 변경되었습니다. 다시 로그인해 주세요.';
            CD.tabs.ended(ended && ended.token, text, 'success');
            CD.flash.set(text, 'success');
            CD.go('login.html');
          } catch (error) {
            if (!error.redirected) CD.forms.showError(form, error);
          }
        });
      });
    }
  });
})();

// 사용자관리 (spec §3.6), ADMIN only: list with filters, registration with an initial (or generated) password,
// edit, unlock, password reset (the temporary password is shown once) and ending a user's sessions.
(function () {
  'use strict';
  const CD = window.CD;
  let editing = null;

  CD.page({
    id: 'users',
    roles: ['ADMIN'],
    deniedMessage: '관리자만 접근할 수 있는 페이지입니다. 메인 화면으로 이동합니다.',
    async init(me) {
      const filter = CD.$('#user-filter');
      filter.addEventListener('submit', (event) => {
        event.preventDefault();
        load();
      });
      setupCreate();
      setupEdit(me);
      await load();
    }
  });

  function statusBadge(status) {
    const kind = { ACTIVE: 'success', INACTIVE: 'secondary', LOCKED: 'danger' }[status] || 'secondary';
    return CD.badge(CD.statusLabels[status] || status, kind);
  }

  async function load() {
    const form = CD.$('#user-filter');
    const users = await CD.api('GET', '/api/users', { query: { q: form.q.value.trim(), role: form.role.value, status: form.status.value } });
    const body = CD.clear(CD.$('#user-table tbody'));
    const h = CD.h;
    users.forEach((u) => {
      const edit = h('button', { type: 'button', class: 'btn btn-sm btn-outline-primary', 'aria-label': u.loginId + ' 수정' }, CD.icon('fa-pen-to-square', 'me-1'), '수정');
      edit.addEventListener('click', () => openEdit(u.id));
      body.appendChild(
        h(
          'tr',
          { dataset: { login: u.loginId } },
          h('td', { class: 'fw-semibold', text: u.loginId }),
          h('td', { text: u.name || '-' }),
          h('td', { text: CD.roleLabels[u.role] || u.role }),
          h('td', {}, statusBadge(u.status), u.mustChangePassword ? h('span', { class: 'badge rounded-pill text-bg-warning ms-1', text: '비밀번호 변경 대기' }) : null),
          h('td', { text: CD.fmt.dateTime(u.lastLoginAt) }),
          h('td', { text: CD.fmt.date(u.createdAt) }),
          h('td', { class: 'text-end' }, edit)
        )
      );
    });
    if (!users.length) body.appendChild(CD.emptyRow(7));
    CD.$('#user-count').textContent = '조회 결과 (표시 ' + users.length + ' / 전체 ' + users.length + '건)';
  }

  function setupCreate() {
    const form = CD.$('#user-create');
    const toggle = CD.$('#toggle-password');
    toggle.addEventListener('click', () => {
      const input = form.password;
      const show = input.type === 'password';
      input.type = show ? 'text' : 'password';
      toggle.setAttribute('aria-pressed', String(show));
      toggle.setAttribute('aria-label', show ? '비밀번호 숨기기' : '비밀번호 보기');
      CD.clear(toggle).appendChild(CD.icon(show ? 'fa-eye-slash' : 'fa-eye'));
    });
    // Invalid characters are removed as typed, with the field's message (spec §3.6) saying what went and why.
    sanitize(form.loginId, /[^A-Za-z0-9]/g, '로그인 ID는 영문/숫자 조합 15자 이내여야 합니다.', loginIdReason);
    sanitize(form.mobile, /[^0-9]/g, '휴대폰 번호는 숫자만 입력할 수 있습니다.', () => '');
    form.addEventListener('reset', () => CD.forms.clearErrors(form));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      CD.forms.clearErrors(form);
      if (!form.loginId.value.trim()) {
        CD.forms.fieldError(form, 'loginId', '로그인 ID는 영문/숫자 조합 15자 이내여야 합니다.');
        form.loginId.focus();
        return;
      }
      const body = {
        loginId: form.loginId.value.trim(),
        password: form.password.value || null,
        name: form.name.value.trim() || null,
        email: form.email.value.trim() || null,
        mobile: form.mobile.value.trim() || null,
        role: form.role.value,
        status: form.status.value
      };
      await CD.busy(CD.$('#user-create-submit'), '등록 중...', async () => {
        try {
          const created = await CD.api('POST', '/api/users', { body });
          form.reset();
          await load();
          if (created.generatedPassword) await showOnce(created.message || '사용자(' + body.loginId + ')가 등록되었습니다.', created.generatedPassword);
          else CD.toast(created.message || '사용자(' + body.loginId + ')가 등록되었습니다.');
        } catch (error) {
          if (!error.redirected) CD.forms.showError(form, error);
        }
      });
    });
  }

  // Korean typed into the login ID (the IME was left in 한글 mode) is the common case: say so, name what went.
  function loginIdReason(removed) {
    const hangul = removed.filter((c) => /[\u1100-\u11FF\u3130-\u318F\uAC00-\uD7A3]/.test(c)).join('');
    const others = removed.filter((c) => !/[\u1100-\u11FF\u3130-\u318F\uAC00-\uD7A3]/.test(c));
    const parts = [];
    if (hangul) parts.push('한글(' + hangul + ')은 로그인 ID에 쓸 수 없어 지웠습니다. 한/영 키로 영문 입력으로 바꿔 주세요.');
    if (others.length) parts.push(others.map((c) => (c === ' ' ? "'공백'" : "'" + c + "'")).join(', ') + ' 문자는 로그인 ID에 쓸 수 없어 지웠습니다.');
    return parts.join(' ');
  }

  /**
   * Removes what the field does not take as it is typed, and says what went and why; the message stays (naming
   * everything removed since it appeared) until the form is submitted or reset, so a fast typist still reads it. A
   * syllable still being composed by an input method (Korean) is left alone until it is finished: changing the text
   * under the IME would only make it come back or vanish silently.
   */
  function sanitize(input, pattern, message, reason) {
    let removedSoFar = [];
    const strip = () => {
      const removed = input.value.match(pattern) || [];
      if (!removed.length) return;
      const caret = input.selectionStart - (input.value.slice(0, input.selectionStart).match(pattern) || []).length;
      input.value = input.value.replace(pattern, '');
      input.setSelectionRange(caret, caret);
      removedSoFar = (input.classList.contains('is-invalid') ? removedSoFar : []).concat(removed);
      CD.forms.clearField(input.form, input.name);
      const why = reason(removedSoFar);
      CD.forms.fieldError(input.form, input.name, (why ? why + ' ' : '') + message);
    };
    input.addEventListener('input', (event) => {
      if (!event.isComposing) strip();
    });
    input.addEventListener('compositionend', strip);
  }

  // A generated password is shown once, in a dialog, never again.
  function showOnce(message, password) {
    const code = CD.h('code', { class: 'fs-5 user-select-all', id: 'generated-password', text: password });
    const extra = CD.h('div', { class: 'alert alert-warning mt-3 mb-0' }, CD.h('div', { class: 'small mb-1', text: '임시 비밀번호 (이 창을 닫으면 다시 볼 수 없습니다)' }), code);
    return CD.confirm(message, { title: '임시 비밀번호', extra, okText: '확인' });
  }

  async function openEdit(id) {
    const form = CD.$('#user-edit');
    CD.forms.clearErrors(form);
    const user = await CD.api('GET', '/api/users/' + id);
    editing = user;
    CD.$('#user-modal-title').textContent = '사용자 수정 · ' + user.loginId;
    CD.$('#edit-meta').textContent = '상태: ' + (CD.statusLabels[user.status] || user.status) + ' · 연속 실패 ' + user.failedLoginCount + '회 · 마지막 로그인 ' + CD.fmt.dateTime(user.lastLoginAt);
    form.name.value = user.name || '';
    form.email.value = user.email || '';
    form.mobile.value = user.mobile || '';
    form.role.value = user.role;
    form.status.value = user.status;
    CD.$('#edit-unlock').disabled = user.status !== 'LOCKED';
    window.bootstrap.Modal.getOrCreateInstance(CD.$('#user-modal')).show();
  }

  function setupEdit(me) {
    const form = CD.$('#user-edit');
    sanitize(form.mobile, /[^0-9]/g, '휴대폰 번호는 숫자만 입력할 수 있습니다.');
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const body = { name: form.name.value.trim() || null, email: form.email.value.trim() || null, mobile: form.mobile.value.trim() || null, role: form.role.value, status: form.status.value };
      await CD.busy(CD.$('#edit-save'), '저장 중...', async () => {
        try {
          await CD.api('PUT', '/api/users/' + editing.id, { body });
          window.bootstrap.Modal.getOrCreateInstance(CD.$('#user-modal')).hide();
          CD.toast('저장되었습니다.');
          await load();
        } catch (error) {
          if (!error.redirected) CD.forms.showError(form, error);
        }
      });
    });
    const modal = () => window.bootstrap.Modal.getOrCreateInstance(CD.$('#user-modal'));
    // The edit dialog closes first so that the confirmation is the only dialog; an error reopens it with the message.
    const action = (button, path, confirmText, done) =>
      button.addEventListener('click', async () => {
        const user = editing;
        // Waits out a fade-in still running (Bootstrap would ignore the hide and the promise would never settle).
        await CD.hideModal(CD.$('#user-modal'));
        if (confirmText && !(await CD.confirm(confirmText(user), { title: button.textContent.trim() }))) return;
        try {
          const result = await CD.api('POST', '/api/users/' + user.id + path, { body: path === '/password-reset' ? {} : undefined });
          await load();
          await done(result);
        } catch (error) {
          if (error.redirected) return;
          modal().show();
          CD.forms.showError(form, error);
        }
      });
    action(CD.$('#edit-unlock'), '/unlock', null, (r) => CD.toast(r.message));
    action(CD.$('#edit-reset'), '/password-reset', (u) => u.loginId + ' 사용자의 비밀번호를 초기화하시겠습니까? 사용자의 모든 세션이 종료됩니다.', (r) => showOnce(r.message, r.temporaryPassword));
    action(CD.$('#edit-sessions'), '/sessions/end', (u) => u.loginId + ' 사용자의 모든 세션을 종료하시겠습니까?', (r) => CD.toast(r.message));
    void me;
  }
})();

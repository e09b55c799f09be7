// CouponDesk core: API calls with problem details, the per-tab session, DOM building without innerHTML,
// KST formatting, dialogs and toasts. Classic script (no modules) so the pages also work opened from files.
(function () {
  'use strict';

  const CD = (window.CD = window.CD || {});
  const config = window.CouponDeskConfig || {};
  const apiBase = String(config.apiBaseUrl || '').replace(/\/+$/, '');

  CD.messages = Object.freeze({
    apiFailed: 'API 요청에 실패했습니다.',
    forbidden: '권한이 없습니다.',
    serverError: '일시적인 오류가 발생했습니다. 잠시 후 다시 시도해 주세요.',
    offline: '서버에 연결할 수 없습니다. 네트워크 상태를 확인해 주세요.',
    expired: '로그인 정보가 만료되었습니다. 다시 로그인해 주세요.',
    noAccess: '접근 권한이 없는 메뉴입니다.',
    empty: '조회된 결과가 없습니다.'
  });

  CD.apiUrl = function (path) {
    return apiBase + path;
  };

  // ---- per-tab storage: the token lives in sessionStorage only (spec §2.5), never in localStorage ----
  const SESSION_KEY = 'coupondesk.session';
  const FLASH_KEY = 'coupondesk.flash';
  CD.session = {
    get() {
      try {
        return JSON.parse(window.sessionStorage.getItem(SESSION_KEY) || 'null');
      } catch (e) {
        return null;
      }
    },
    set(value) {
      window.sessionStorage.setItem(SESSION_KEY, JSON.stringify(value));
    },
    update(patch) {
      const current = CD.session.get();
      if (current) CD.session.set(Object.assign({}, current, patch));
    },
    clear() {
      window.sessionStorage.removeItem(SESSION_KEY);
    }
  };

  // A message carried to the next page (e.g. "session expired" shown on the login page).
  CD.flash = {
    set(text, kind) {
      window.sessionStorage.setItem(FLASH_KEY, JSON.stringify({ text: String(text), kind: kind || 'info' }));
    },
    take() {
      const raw = window.sessionStorage.getItem(FLASH_KEY);
      window.sessionStorage.removeItem(FLASH_KEY);
      try {
        return raw ? JSON.parse(raw) : null;
      } catch (e) {
        return null;
      }
    }
  };

  // A navigation the page decided on itself (CD.leaving tells an unsaved-changes guard to let it pass).
  CD.go = function (page) {
    CD.leaving = true;
    window.location.assign(page);
  };

  // ---- API ----
  class ApiError extends Error {
    constructor(status, problem) {
      const detail = (problem && (problem.detail || problem.title)) || CD.messages.apiFailed;
      super(detail);
      this.status = status;
      this.code = (problem && problem.code) || null;
      this.detail = detail;
      this.errors = (problem && problem.errors) || {};
      this.correlationId = (problem && problem.correlationId) || null;
      this.problem = problem || {}; // the whole answer: some carry more (e.g. the current state of a stale item)
    }
  }
  CD.ApiError = ApiError;

  const listeners = [];
  CD.onApiSuccess = function (fn) {
    listeners.push(fn);
  };

  function newIdempotencyKey() {
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  function defaultDetail(status) {
    if (status === 403) return CD.messages.forbidden;
    if (status >= 500) return CD.messages.serverError;
    return CD.messages.apiFailed;
  }

  /**
   * Calls the API. options: { body (JSON), form (FormData), query (object), as: 'json'|'blob'|'response',
   * anonymous (no token, no 401 redirect), cache (fetch cache mode; 'no-store' unless the answer is made to be kept,
   * e.g. a product image at its content-hash address), background (a timer's call: sent with X-Background-Request so
   * the server does not count it as activity, not activity for the idle countdown either, and a 401 is only thrown —
   * the caller stops; the user's next own call leads to the login page) }. Throws ApiError with the problem details'
   * Korean detail.
   */
  CD.api = async function (method, path, options) {
    const opts = options || {};
    let url = CD.apiUrl(path);
    if (opts.query) {
      const params = new URLSearchParams();
      Object.keys(opts.query).forEach((key) => {
        const value = opts.query[key];
        if (value !== undefined && value !== null && String(value) !== '') params.append(key, String(value));
      });
      const qs = params.toString();
      if (qs) url += (url.indexOf('?') >= 0 ? '&' : '?') + qs;
    }
    const headers = { Accept: 'application/json, application/problem+json' };
    const session = CD.session.get();
    if (!opts.anonymous && session && session.token) headers.Authorization = 'Bearer ' + session.token;
    let body;
    if (opts.form) {
      body = opts.form;
    } else if (opts.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
    // idempotencyKey: false for a read sent as POST (a search whose keys must not be in the URL): nothing to replay.
    if (method !== 'GET' && opts.idempotencyKey !== false) headers['Idempotency-Key'] = opts.idempotencyKey || newIdempotencyKey();
    if (opts.background) headers['X-Background-Request'] = '1';

    let response;
    try {
      response = await fetch(url, { method, headers, body, cache: opts.cache || 'no-store', credentials: 'omit' });
    } catch (e) {
      throw new ApiError(0, { detail: CD.messages.offline, code: 'offline' });
    }

    if (response.ok) {
      if (!opts.anonymous && !opts.background) listeners.forEach((fn) => fn(response));
      if (opts.as === 'response') return response;
      if (opts.as === 'blob') return response.blob();
      if (response.status === 204) return null;
      const text = await response.text();
      return text ? JSON.parse(text) : null;
    }

    let problem = null;
    try {
      problem = await response.json();
    } catch (e) {
      problem = null;
    }
    if (!problem || typeof problem !== 'object') problem = {};
    if (!problem.detail) problem.detail = defaultDetail(response.status);
    if (!problem.correlationId) problem.correlationId = response.headers.get('X-Correlation-Id');
    const error = new ApiError(response.status, problem);

    if (!opts.anonymous && !opts.background && response.status === 401) {
      // Expired, ended elsewhere or revoked: back to login with the server's own sentence, keeping no form data.
      // The other tabs sharing this session (js/tabs.js) go with it.
      CD.session.clear();
      CD.flash.set(error.detail || CD.messages.expired, 'warning');
      if (CD.tabs && session) CD.tabs.ended(session.token, error.detail || CD.messages.expired, 'warning');
      CD.go('login.html');
      error.redirected = true;
    } else if (response.status === 403 && error.code === 'password_change_required') {
      CD.go('password.html');
      error.redirected = true;
    }
    throw error;
  };

  // ---- DOM building: text always goes through textContent, never through innerHTML ----
  CD.h = function (tag, props) {
    const el = document.createElement(tag);
    const p = props || {};
    Object.keys(p).forEach((key) => {
      const value = p[key];
      if (value === undefined || value === null || value === false) return;
      if (key === 'text') el.textContent = String(value);
      else if (key === 'class') el.className = value;
      else if (key === 'on') Object.keys(value).forEach((ev) => el.addEventListener(ev, value[ev]));
      else if (key === 'dataset') Object.assign(el.dataset, value);
      else if (value === true) el.setAttribute(key, '');
      else el.setAttribute(key, String(value));
    });
    for (let i = 2; i < arguments.length; i++) append(el, arguments[i]);
    return el;
  };

  function append(parent, child) {
    if (child === undefined || child === null || child === false) return;
    if (Array.isArray(child)) child.forEach((c) => append(parent, c));
    else if (child instanceof Node) parent.appendChild(child);
    else parent.appendChild(document.createTextNode(String(child)));
  }

  CD.clear = function (el) {
    while (el.firstChild) el.removeChild(el.firstChild);
    return el;
  };

  CD.icon = function (name, extra) {
    return CD.h('i', { class: 'fa-solid ' + name + (extra ? ' ' + extra : ''), 'aria-hidden': 'true' });
  };

  CD.$ = function (selector, root) {
    return (root || document).querySelector(selector);
  };
  CD.$$ = function (selector, root) {
    return Array.from((root || document).querySelectorAll(selector));
  };

  // ---- formatting (KST, KRW) ----
  const kstParts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Seoul',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23'
  });

  function toDate(value) {
    if (value === null || value === undefined || value === '') return null;
    if (value instanceof Date) return value;
    let text = String(value);
    // Server DateTime values without an offset are UTC.
    if (/^\d{4}-\d{2}-\d{2}T[\d:.]+$/.test(text)) text += 'Z';
    const date = new Date(text);
    return isNaN(date.getTime()) ? null : date;
  }

  function parts(value) {
    const date = toDate(value);
    if (!date) return null;
    const out = {};
    kstParts.formatToParts(date).forEach((part) => {
      out[part.type] = part.value;
    });
    return out;
  }

  CD.fmt = {
    toDate,
    dateTime(value) {
      const p = parts(value);
      return p ? p.year + '-' + p.month + '-' + p.day + ' ' + p.hour + ':' + p.minute : '-';
    },
    dateTimeSeconds(value) {
      const p = parts(value);
      return p ? p.year + '-' + p.month + '-' + p.day + ' ' + p.hour + ':' + p.minute + ':' + p.second : '-';
    },
    date(value) {
      const p = parts(value);
      return p ? p.year + '-' + p.month + '-' + p.day : '-';
    },
    // Today's date in KST as YYYY-MM-DD.
    todayKst() {
      return CD.fmt.date(new Date());
    },
    number(value) {
      return value === null || value === undefined ? '-' : Number(value).toLocaleString('ko-KR');
    },
    won(value) {
      return value === null || value === undefined ? '-' : Number(value).toLocaleString('ko-KR') + '원';
    },
    // A Korean telephone number grouped by its kind (the one formatter for sender and other numbers shown in clear):
    // 1600-0000 (전국 대표번호), 010-0000-0071 / 011-000-1234 (mobile), 02-000-1234 / 02-0000-1234 (Seoul),
    // 031-000-1234 / 070-0000-1234 (other area codes, internet phone), 0505-000-1234 (050x). Anything else as given.
    phone(value) {
      if (value === null || value === undefined || value === '') return '-';
      const d = String(value).replace(/[\s-]/g, '');
      if (!/^\d+$/.test(d)) return String(value);
      const group = (head) => {
        const rest = d.slice(head);
        return rest.length === 7 || rest.length === 8 ? d.slice(0, head) + '-' + rest.slice(0, rest.length - 4) + '-' + rest.slice(-4) : null;
      };
      let grouped = null;
      if (/^1[5-9]\d{6}$/.test(d)) grouped = d.slice(0, 4) + '-' + d.slice(4);
      else if (d.startsWith('02')) grouped = group(2);
      else if (/^050\d/.test(d)) grouped = group(4);
      else if (d.startsWith('0')) grouped = group(3);
      return grouped || d;
    }
  };

  // The product's one e-mail rule (the server's EmailAddress): ASCII local@domain.tld, RFC 5322 atoms before the @.
  const EMAIL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])$/;
  CD.isEmail = function (value, maxLength) {
    const text = String(value || '');
    const at = text.indexOf('@');
    return text.length <= (maxLength || 254) && at > 0 && at <= 64 && EMAIL.test(text);
  };

  CD.roleLabels = Object.freeze({ ADMIN: '관리자', OPERATOR: '운영자', VIEWER: '조회 전용' });
  CD.statusLabels = Object.freeze({ ACTIVE: '로그인 허용', INACTIVE: '로그인 비활성', LOCKED: '잠금' });

  // ---- feedback: alerts, field errors, toasts, dialogs ----
  CD.alert = function (container, text, kind) {
    CD.clear(container);
    if (!text) {
      container.hidden = true;
      return;
    }
    container.hidden = false;
    container.appendChild(
      CD.h(
        'div',
        { class: 'alert alert-' + (kind || 'danger') + ' d-flex align-items-start gap-2 mb-3', role: kind === 'success' ? 'status' : 'alert' },
        CD.icon(kind === 'success' ? 'fa-circle-check' : kind === 'warning' || kind === 'info' ? 'fa-circle-info' : 'fa-circle-exclamation', 'mt-1'),
        CD.h('div', { text })
      )
    );
  };

  CD.forms = {
    clearErrors(form) {
      CD.$$('.is-invalid', form).forEach((el) => el.classList.remove('is-invalid'));
      CD.$$('.invalid-feedback[data-generated]', form).forEach((el) => el.remove());
      const alertBox = CD.$('[data-role=form-alert]', form);
      if (alertBox) CD.alert(alertBox, null);
    },
    fieldError(form, name, message) {
      const field = findField(form, name);
      if (!field) return false;
      field.classList.add('is-invalid');
      const feedback = CD.h('div', { class: 'invalid-feedback', 'data-generated': 'true', text: message });
      const group = field.closest('.input-group') || field;
      group.insertAdjacentElement('afterend', feedback);
      if (field.closest('.input-group')) field.closest('.input-group').classList.add('has-validation');
      return field;
    },
    // Removes one field's error (the message sits after the field, or after its input group).
    clearField(form, name) {
      const field = findField(form, name);
      if (!field) return;
      field.classList.remove('is-invalid');
      const anchor = field.closest('.input-group') || field;
      let next = anchor.nextElementSibling;
      while (next && next.matches('.invalid-feedback[data-generated]')) {
        const after = next.nextElementSibling;
        next.remove();
        next = after;
      }
    },
    // Shows a problem next to the fields it names (camelCase keys), the rest in the form's alert box.
    showError(form, error) {
      CD.forms.clearErrors(form);
      let first = null;
      const unplaced = [];
      const errors = (error && error.errors) || {};
      Object.keys(errors).forEach((key) => {
        const message = [].concat(errors[key]).join(' ');
        const field = CD.forms.fieldError(form, key, message);
        if (field && !first) first = field;
        if (!field) unplaced.push(message);
      });
      const alertBox = CD.$('[data-role=form-alert]', form);
      const summary = unplaced.length ? unplaced.join(' ') : first ? null : (error && error.detail) || CD.messages.apiFailed;
      if (alertBox && summary) CD.alert(alertBox, summary, 'danger');
      if (first) first.focus();
      else if (alertBox) alertBox.focus();
    }
  };

  function findField(form, name) {
    const lower = String(name).toLowerCase();
    return CD.$$('[name]', form).find((el) => el.name.toLowerCase() === lower) || null;
  }

  // Disables a button while its request runs (no double submission) and swaps its label.
  CD.busy = async function (button, busyText, work) {
    const label = button.textContent;
    button.disabled = true;
    if (busyText) button.textContent = busyText;
    try {
      return await work();
    } finally {
      button.disabled = false;
      if (busyText) button.textContent = label;
    }
  };

  CD.toast = function (text) {
    const el = CD.h('div', { class: 'cd-toast', role: 'status', 'aria-live': 'polite' }, CD.icon('fa-check'), CD.h('span', { text }));
    document.body.appendChild(el);
    window.setTimeout(() => el.remove(), 1500);
  };

  // Every Bootstrap modal carries its phase in data-cd-state (showing, shown, hiding, hidden). Bootstrap ignores hide()
  // while a modal is still fading in, so code (and browser tests) must know when a dialog is really open.
  ['show', 'shown', 'hide', 'hidden'].forEach((phase) =>
    document.addEventListener(phase + '.bs.modal', (event) => {
      if (event.defaultPrevented) return;
      event.target.dataset.cdState = { show: 'showing', shown: 'shown', hide: 'hiding', hidden: 'hidden' }[phase];
    })
  );

  // Hides a modal and resolves once it is hidden; one still fading in is hidden as soon as it is shown.
  CD.hideModal = function (el) {
    return new Promise((resolve) => {
      const state = el.dataset.cdState;
      if (!state || state === 'hidden') {
        resolve();
        return;
      }
      el.addEventListener('hidden.bs.modal', () => resolve(), { once: true });
      const modal = window.bootstrap.Modal.getOrCreateInstance(el);
      if (state === 'showing') el.addEventListener('shown.bs.modal', () => modal.hide(), { once: true });
      else if (state === 'shown') modal.hide();
    });
  };

  // A Bootstrap modal built from DOM nodes; resolves true on 확인.
  CD.confirm = function (message, options) {
    const opts = options || {};
    return new Promise((resolve) => {
      let result = false;
      const ok = CD.h('button', { type: 'button', class: 'btn ' + (opts.danger ? 'btn-danger' : 'btn-primary'), text: opts.okText || '확인' });
      const cancel = CD.h('button', { type: 'button', class: 'btn btn-outline-secondary', 'data-bs-dismiss': 'modal', text: opts.cancelText || '취소' });
      const body = CD.h('div', { class: 'modal-body' });
      String(message)
        .split('\n')
        .forEach((line) => body.appendChild(CD.h('p', { class: 'mb-1', text: line })));
      if (opts.extra) body.appendChild(opts.extra);
      const dialog = CD.h(
        'div',
        { class: 'modal fade', tabindex: '-1', 'aria-modal': 'true', role: 'dialog', 'aria-labelledby': 'cd-confirm-title' },
        CD.h(
          'div',
          { class: 'modal-dialog modal-dialog-centered' },
          CD.h(
            'div',
            { class: 'modal-content' },
            CD.h('div', { class: 'modal-header' }, CD.h('h2', { class: 'modal-title fs-5', id: 'cd-confirm-title', text: opts.title || '확인' })),
            body,
            CD.h('div', { class: 'modal-footer' }, cancel, ok)
          )
        )
      );
      document.body.appendChild(dialog);
      const modal = new window.bootstrap.Modal(dialog);
      ok.addEventListener('click', async () => {
        if (opts.validate && !(await opts.validate())) return;
        result = true;
        // A click during the fade-in would be dropped by Bootstrap: CD.hideModal waits for the dialog to be shown.
        CD.hideModal(dialog);
      });
      dialog.addEventListener('shown.bs.modal', () => ok.focus());
      dialog.addEventListener('hidden.bs.modal', () => {
        modal.dispose();
        dialog.remove();
        resolve(result);
      });
      modal.show();
    });
  };

  // The file name a Content-Disposition header gives: the UTF-8 `filename*` (RFC 6266/5987) wherever it stands, the
  // plain `filename` (the server's ASCII fallback, Korean turned into "_") only when there is none.
  CD.downloadName = function (disposition, fallbackName) {
    const text = String(disposition || '');
    const extended = /filename\*\s*=\s*UTF-8'[^']*'([^;\s]+)/i.exec(text);
    if (extended) {
      try {
        return decodeURIComponent(extended[1]);
      } catch (e) {
        // malformed percent-encoding: use the plain name
      }
    }
    const plain = /filename\s*=\s*(?:"([^"]*)"|([^;\s]+))/i.exec(text);
    return (plain && (plain[1] || plain[2])) || fallbackName;
  };

  // Downloads an authenticated file (fetch with the token, then a temporary object URL).
  CD.download = async function (path, query, fallbackName) {
    await CD.saveResponse(await CD.api('GET', path, { query, as: 'response' }), fallbackName);
  };

  // Saves a file answer under the server's name (Content-Disposition) through a temporary object URL.
  CD.saveResponse = async function (response, fallbackName) {
    const blob = await response.blob();
    const name = CD.downloadName(response.headers.get('Content-Disposition'), fallbackName);
    const url = URL.createObjectURL(blob);
    const link = CD.h('a', { href: url, download: name, class: 'd-none' });
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 10000);
  };

  // Product images need the token: fetch them and show an object URL; a missing image shows the placeholder. Their
  // addresses carry a content hash and the server lets the browser keep them, so the HTTP cache may answer.
  const imageCache = new Map();
  CD.authImage = function (img, path) {
    img.classList.add('cd-img-loading');
    let pending = imageCache.get(path);
    if (!pending) {
      pending = CD.api('GET', path, { as: 'blob', cache: 'default' })
        .then((blob) => URL.createObjectURL(blob))
        .catch(() => null);
      imageCache.set(path, pending);
    }
    pending.then((url) => {
      img.classList.remove('cd-img-loading');
      if (url) img.src = url;
      else img.classList.add('cd-img-missing');
    });
    return img;
  };

  CD.badge = function (text, kind) {
    return CD.h('span', { class: 'badge rounded-pill text-bg-' + (kind || 'secondary'), text });
  };

  CD.emptyRow = function (colspan, text) {
    return CD.h('tr', { class: 'cd-empty' }, CD.h('td', { colspan: String(colspan), class: 'text-center text-body-secondary py-5', text: text || CD.messages.empty }));
  };

  /**
   * A table paged by keyset cursor with "더 보기": options { path, query() (the filter, read when a new search starts),
   * body (tbody), columns, row(item), count(shown, more) (text of the count line, optional), countEl, moreBox,
   * pageSize }. search(more) loads the first page (more = false) or the next one and returns the answer; remove(tr)
   * takes out a row that left the filter.
   */
  CD.keysetTable = function (options) {
    const state = { cursor: null, shown: 0, query: null };
    return {
      async search(more) {
        if (!more) {
          state.query = options.query();
          state.cursor = null;
        }
        const query = Object.assign({}, state.query, { limit: options.pageSize, cursor: state.cursor });
        const result = await CD.api('GET', options.path, { query });
        if (!more) {
          CD.clear(options.body);
          state.shown = 0;
        }
        result.items.forEach((item) => {
          options.body.appendChild(options.row(item));
          state.shown++;
        });
        if (state.shown === 0) options.body.appendChild(CD.emptyRow(options.columns));
        state.cursor = result.nextCursor;
        if (options.countEl && options.count) options.countEl.textContent = options.count(state.shown, !!result.nextCursor);
        if (options.moreBox) options.moreBox.hidden = !result.nextCursor;
        return result;
      },
      // A row that no longer matches the filter leaves the table and the count.
      remove(tr) {
        tr.remove();
        state.shown--;
        if (options.countEl && options.count) options.countEl.textContent = options.count(state.shown, false);
        if (state.shown === 0) options.body.appendChild(CD.emptyRow(options.columns));
      }
    };
  };
})();

// 설정 (spec §3.11), ADMIN only: the rules of §3.11 as stored in the database over the configuration file, the
// operations webhook (a secret: shown masked, tested with 시험 알림 보내기), the sender numbers and the two-person approval
// switches (spec §1.3) with the warning when fewer than two people could approve. A setting with visible: false is not
// drawn.
(function () {
  'use strict';
  const CD = window.CD;
  const GROUPS = ['2인 승인', '야간 발송', '발송', '계정', '상품'];
  let state = null;

  CD.page({
    id: 'settings',
    roles: ['ADMIN'],
    deniedMessage: '관리자만 접근할 수 있는 페이지입니다. 메인 화면으로 이동합니다.',
    async init() {
      CD.$('#settings-form').addEventListener('submit', (event) => {
        event.preventDefault();
        save();
      });
      CD.$('#settings-revert').addEventListener('click', () => draw());
      setupWebhook();
      setupSenders();
      await load();
      await loadSenders();
    }
  });

  async function load() {
    state = await CD.api('GET', '/api/settings');
    draw();
  }

  function byKey(key) {
    return state.items.find((i) => i.key === key);
  }

  function draw() {
    const h = CD.h;
    const box = CD.clear(CD.$('#settings-groups'));
    CD.forms.clearErrors(CD.$('#settings-form'));
    // Spec §1.3 item 7: an approval switch is on but fewer than two ADMIN/OPERATOR accounts could approve.
    (state.warnings || []).forEach((text) => box.appendChild(h('div', { class: 'alert alert-warning', role: 'alert', 'data-role': 'settings-warning', text })));
    GROUPS.forEach((group) => {
      const items = state.items.filter((i) => i.visible && i.group === group && i.kind !== 'SecretUrl');
      if (!items.length) return;
      const row = h('div', { class: 'row g-3 mb-2' });
      items.forEach((item) => row.appendChild(field(item)));
      box.appendChild(h('fieldset', { class: 'mb-3' }, h('legend', { class: 'h6 text-body-secondary border-bottom pb-1 mb-3', text: group }), row));
    });
    const webhook = byKey('Alerts:WebhookUrl');
    CD.$('#webhook-current').textContent = webhook.value || '설정되지 않음 (로그에만 기록)';
    CD.$('#webhook-test').disabled = !webhook.configured;
    CD.$('#webhook-clear').disabled = !webhook.configured;
  }

  function field(item) {
    const h = CD.h;
    const id = 'set-' + item.key.replace(/[^A-Za-z0-9]/g, '-');
    let input;
    if (item.kind === 'Switch') {
      input = h('select', { class: 'form-select', id, name: item.key });
      [['true', '켜기 (승인 필요)'], ['false', '끄기']].forEach(([value, text]) => input.appendChild(h('option', { value, text, selected: value === item.value })));
    } else if (item.kind === 'Choice') {
      input = h('select', { class: 'form-select', id, name: item.key });
      item.choices.forEach((c) => input.appendChild(h('option', { value: c.value, text: c.label, selected: c.value === item.value })));
    } else if (item.kind === 'Number' && item.max !== null && item.max - item.min <= 23) {
      input = h('select', { class: 'form-select', id, name: item.key });
      for (let v = item.min; v <= item.max; v++) input.appendChild(h('option', { value: String(v), text: String(v), selected: String(v) === item.value }));
    } else {
      input = h('input', { type: 'number', class: 'form-control', id, name: item.key, min: String(item.min), max: String(item.max), step: '1', value: item.value, inputmode: 'numeric' });
    }
    input.dataset.original = item.value;
    const group = item.unit ? h('div', { class: 'input-group' }, input, h('span', { class: 'input-group-text', text: item.unit })) : input;
    const help = [];
    if (item.min !== null && item.kind === 'Number') help.push('범위 ' + item.min + '~' + item.max);
    if (item.offLabel) help.push(item.offLabel);
    help.push('설정 파일 값 ' + (choiceLabel(item, item.fileValue) || '-'));
    const label = h('label', { class: 'form-label', for: id }, item.label, item.overridden ? h('span', { class: 'badge rounded-pill text-bg-info ms-2', text: '변경됨' }) : null);
    const reset = item.overridden ? h('button', { type: 'button', class: 'btn btn-link btn-sm p-0 ms-2 align-baseline', text: '설정 파일 값으로' }) : null;
    if (reset) reset.addEventListener('click', () => change({ [item.key]: null }, reset, item.label + ' 항목을 설정 파일 값(' + choiceLabel(item, item.fileValue) + ')으로 되돌리시겠습니까?'));
    return h('div', { class: 'col-12 col-md-6', dataset: { setting: item.key } }, label, group, h('div', { class: 'form-text' }, help.join(' · '), reset));
  }

  function choiceLabel(item, value) {
    if (item.kind === 'Switch') return value === 'true' ? '켜기' : value === 'false' ? '끄기' : value;
    const choice = (item.choices || []).find((c) => c.value === value);
    return choice ? choice.label : value;
  }

  async function save() {
    const form = CD.$('#settings-form');
    const values = {};
    CD.$$('[name]', form).forEach((el) => {
      if (el.value !== el.dataset.original) values[el.name] = byKey(el.name) && byKey(el.name).kind === 'Switch' ? el.value === 'true' : el.value;
    });
    if (!Object.keys(values).length) {
      CD.alert(CD.$('[data-role=form-alert]', form), '변경된 항목이 없습니다.', 'info');
      return;
    }
    const labels = Object.keys(values).map((k) => byKey(k).label + ': ' + choiceLabel(byKey(k), byKey(k).value) + ' → ' + choiceLabel(byKey(k), String(values[k])));
    await change(values, CD.$('#settings-save'), '다음 설정을 저장하시겠습니까?\n' + labels.join('\n'), form);
  }

  async function change(values, button, question, form) {
    if (!(await CD.confirm(question, { title: '설정 저장' }))) return;
    const target = form || CD.$('#settings-form');
    await CD.busy(button, '저장 중…', async () => {
      try {
        state = await CD.api('PUT', '/api/settings', { body: { version: state.version, values } });
        draw();
        CD.toast('저장되었습니다.');
      } catch (e) {
        if (e.redirected) return;
        CD.forms.showError(target, e);
      }
    });
  }

  function setupWebhook() {
    const form = CD.$('#webhook-form');
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const url = form.elements['Alerts:WebhookUrl'].value.trim();
      CD.forms.clearErrors(form);
      if (!url) {
        CD.forms.fieldError(form, 'Alerts:WebhookUrl', '새 웹훅 주소를 입력해 주세요.').focus();
        return;
      }
      await change({ 'Alerts:WebhookUrl': url }, CD.$('#webhook-save'), '운영 알림 웹훅 주소를 바꾸시겠습니까?', form);
      if (!CD.$('.is-invalid', form)) form.reset();
    });
    CD.$('#webhook-clear').addEventListener('click', () =>
      change({ 'Alerts:WebhookUrl': '' }, CD.$('#webhook-clear'), '운영 알림을 웹훅으로 보내지 않고 로그에만 남기시겠습니까?', form)
    );
    CD.$('#webhook-test').addEventListener('click', () =>
      CD.busy(CD.$('#webhook-test'), '보내는 중…', async () => {
        const alertBox = CD.$('[data-role=form-alert]', form);
        try {
          const answer = await CD.api('POST', '/api/settings/webhook-test');
          CD.alert(alertBox, answer.message, 'success');
        } catch (e) {
          if (!e.redirected) CD.alert(alertBox, e.detail, 'danger');
        }
      })
    );
  }

  // ---- 발신번호 목록 (its own API, P24) ----
  function setupSenders() {
    const form = CD.$('#sender-form');
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      await CD.busy(CD.$('#sender-add'), null, async () => {
        try {
          const list = await CD.api('POST', '/api/settings/sender-numbers', { body: { number: form.number.value, description: form.description.value, isDefault: false } });
          form.reset();
          CD.forms.clearErrors(form);
          drawSenders(list);
          CD.toast('발신번호를 추가했습니다.');
        } catch (e) {
          if (!e.redirected) CD.forms.showError(form, e);
        }
      });
    });
  }

  async function loadSenders() {
    drawSenders(await CD.api('GET', '/api/sender-numbers'));
  }

  function drawSenders(list) {
    const h = CD.h;
    const body = CD.clear(CD.$('#sender-table tbody'));
    list.forEach((s) => {
      const makeDefault = h('button', { type: 'button', class: 'btn btn-sm btn-outline-secondary', text: '기본값으로', disabled: s.isDefault });
      const remove = h('button', { type: 'button', class: 'btn btn-sm btn-outline-danger ms-1', 'aria-label': s.number + ' 삭제', text: '삭제' });
      makeDefault.addEventListener('click', () => senderAction(makeDefault, 'POST', '/api/settings/sender-numbers/' + s.id + '/default'));
      remove.addEventListener('click', async () => {
        if (await CD.confirm('발신번호 ' + s.number + '을(를) 삭제하시겠습니까?', { title: '발신번호 삭제', danger: true, okText: '삭제' })) {
          await senderAction(remove, 'DELETE', '/api/settings/sender-numbers/' + s.id);
        }
      });
      body.appendChild(
        h(
          'tr',
          { dataset: { number: s.number } },
          h('td', { class: 'fw-semibold', text: s.number }),
          h('td', { text: s.description || '-' }),
          h('td', {}, s.isDefault ? CD.badge('기본', 'primary') : null),
          h('td', { class: 'text-end text-nowrap' }, makeDefault, remove)
        )
      );
    });
    if (!list.length) body.appendChild(CD.emptyRow(4, '등록된 발신번호가 없습니다.'));
  }

  async function senderAction(button, method, path) {
    await CD.busy(button, null, async () => {
      try {
        const answer = await CD.api(method, path);
        if (answer) drawSenders(answer);
        else await loadSenders();
      } catch (e) {
        if (!e.redirected) CD.alert(CD.$('[data-role=form-alert]', CD.$('#sender-form')), e.detail, 'danger');
      }
    });
  }
})();

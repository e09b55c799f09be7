// 대시보드 (spec §3.8): aggregates only, no personal data (P2, every role); refreshes every 30 s. Running campaigns
// follow the pipeline's event stream (CD.followProgress: fetch + ReadableStream with the token, polling as fallback);
// pause / resume only for ADMIN and OPERATOR (P8 — the server refuses the others anyway).
(function () {
  'use strict';
  const CD = window.CD;
  // 30 s; window.CD_DASHBOARD_REFRESH_MS, set before the page loads, shortens it for the browser test.
  const REFRESH_MS = window.CD_DASHBOARD_REFRESH_MS || 30000;
  // A browser keeps at most 6 connections per host: a few live streams, the other campaigns follow the 30 s refresh.
  const MAX_STREAMS = 3;
  const STAFF = ['ADMIN', 'OPERATOR'];
  const RUNNING = ['ISSUING', 'SENDING'];
  const STAGES = [
    ['issued', '발급'],
    ['rendered', '이미지'],
    ['queued', '적재'],
    ['results', '결과']
  ];
  const TAB_LABELS = { send: '발송', issue: '발급', image: '이미지' };
  const state = { me: null, period: 'today', tab: 'send', data: null, chart: null, streams: new Map(), refreshing: null, timer: null };

  CD.page({
    id: 'dashboard',
    async init(me) {
      state.me = me;
      CD.$('#dash-register').hidden = !CD.can(me.role, 'register');
      CD.$('#dash-refresh').addEventListener('click', () => refresh());
      CD.$$('input[name=dash-period]').forEach((input) =>
        input.addEventListener('change', () => {
          state.period = input.value;
          refresh();
        })
      );
      CD.$$('#failure-tabs [data-tab]').forEach((button) => button.addEventListener('click', () => selectTab(button.dataset.tab)));
      await refresh();
      state.timer = window.setInterval(() => refresh(true), REFRESH_MS);
    }
  });

  // One refresh at a time; a request while one runs waits for it instead of racing it. background: the timer's
  // refresh, which the session does not count as activity (D-APR-7) — a dashboard left open must not keep its session
  // alive; a 401 then stops the timer and the idle countdown takes the page to the login.
  function refresh(background) {
    if (!state.refreshing) {
      state.refreshing = load(background === true).finally(() => {
        state.refreshing = null;
      });
    }
    return state.refreshing;
  }

  async function load(background) {
    let data;
    let health;
    try {
      [data, health] = await Promise.all([CD.api('GET', '/api/dashboard', { query: { period: state.period }, background }), readiness()]);
    } catch (e) {
      if (background && e.status === 401) {
        window.clearInterval(state.timer);
        return;
      }
      if (!e.redirected) CD.alert(CD.$('#dash-alert'), e.detail, 'danger');
      return;
    }
    CD.alert(CD.$('#dash-alert'), null);
    state.data = data;
    // A panel the server could not read comes as null with a Korean message under data.unavailable; the rest still draws.
    const missing = data.unavailable || {};
    renderStats(data, missing);
    if (missing.running) panelError(CD.$('#dash-campaigns'), missing.running);
    else renderCampaigns(data.runningCampaigns);
    renderHealth(data.system, health, missing.system);
    renderFailures();
    if (missing.upcoming) panelError(CD.$('#dash-upcoming'), missing.upcoming);
    else renderUpcoming(data.upcomingCampaigns);
    CD.dashboardExchange(data.exchangeRates, missing.exchange);
    CD.$('#dash-updated').textContent = CD.fmt.dateTimeSeconds(data.generatedAt);
  }

  // One panel's place taken by its own failure message (the other panels are unaffected).
  function panelError(container, message) {
    CD.clear(container).appendChild(
      CD.h('div', { class: 'alert alert-warning small d-flex align-items-start gap-2 mb-0 cd-panel-error', role: 'status' }, CD.icon('fa-triangle-exclamation', 'mt-1'), CD.h('span', { text: message }))
    );
  }

  async function readiness() {
    try {
      const response = await fetch(CD.apiUrl('/health/ready'), { cache: 'no-store' });
      return await response.json();
    } catch (e) {
      return null;
    }
  }

  function percent(value) {
    return value === null || value === undefined ? '-' : value.toFixed(1) + '%';
  }

  function renderStats(d, missing) {
    const dash = (ids) => ids.forEach((id) => (CD.$(id).textContent = '-'));
    CD.$$('[data-panel-error]').forEach((el) => el.remove());
    const note = (card, message) => CD.$(card).appendChild(CD.h('div', { class: 'small text-warning-emphasis mt-1', dataset: { panelError: 'true' }, text: message }));
    if (missing.sending) {
      dash(['#stat-today', '#today-succeeded', '#today-failed', '#today-pending', '#stat-success', '#stat-success-7d']);
      note('#stat-today-card', missing.sending);
      note('#stat-success-card', missing.sending);
    } else {
      CD.$('#stat-today').textContent = CD.fmt.number(d.today.total);
      CD.$('#today-succeeded').textContent = CD.fmt.number(d.today.succeeded);
      CD.$('#today-failed').textContent = CD.fmt.number(d.today.failed);
      CD.$('#today-pending').textContent = CD.fmt.number(d.today.pending);
      CD.$('#stat-success').textContent = percent(d.successRate.today);
      CD.$('#stat-success-7d').textContent = percent(d.successRate.last7Days);
    }
    if (missing.attention) {
      dash(['#stat-indoubt', '#stat-cancels-link', '#stat-cancels-count', '#stat-conflicts-link', '#stat-conflicts-count', '#stat-expiring', '#stat-approvals-link', '#stat-approvals-count']);
      note('#stat-attention-card', missing.attention);
    } else {
      CD.$('#stat-indoubt').textContent = CD.fmt.number(d.inDoubtOrders) + '건';
      // Coupons we could not cancel at COUFUN (공급사 취소 실패): a link to the list for those who may open it.
      const cancels = CD.fmt.number(d.gaveUpCouponCancels) + '건';
      const canOpen = CD.can(state.me.role, 'in-doubt');
      CD.$('#stat-cancels-link').textContent = cancels;
      CD.$('#stat-cancels-link').hidden = !canOpen;
      CD.$('#stat-cancels-count').textContent = cancels;
      CD.$('#stat-cancels-count').hidden = canOpen;
      CD.$('#stat-cancels').classList.toggle('text-danger', d.gaveUpCouponCancels > 0);
      // Supplier/record conflicts (spec §4.3): the list is an ADMIN's.
      const conflicts = CD.fmt.number(d.couponConflicts) + '건';
      const admin = state.me.role === 'ADMIN';
      CD.$('#stat-conflicts-link').textContent = conflicts;
      CD.$('#stat-conflicts-link').hidden = !admin;
      CD.$('#stat-conflicts-count').textContent = conflicts;
      CD.$('#stat-conflicts-count').hidden = admin;
      CD.$('#stat-conflicts').classList.toggle('text-danger', d.couponConflicts > 0);
      CD.$('#stat-expiring').textContent = CD.fmt.number(d.expiringSoon) + '건';
      // Two-person approval requests waiting (spec §1.3): 승인 요청 is for ADMIN / OPERATOR.
      const approvals = CD.fmt.number(d.pendingApprovals) + '건';
      const approver = state.me.role !== 'VIEWER';
      CD.$('#stat-approvals-link').textContent = approvals;
      CD.$('#stat-approvals-link').hidden = !approver;
      CD.$('#stat-approvals-count').textContent = approvals;
      CD.$('#stat-approvals-count').hidden = approver;
      CD.$('#stat-approvals').classList.toggle('text-warning-emphasis', d.pendingApprovals > 0);
    }
    if (missing.upcoming) {
      dash(['#stat-upcoming', '#stat-upcoming-note']);
      note('#stat-upcoming-card', missing.upcoming);
    } else {
      CD.$('#stat-upcoming').textContent = CD.fmt.number(d.upcomingCampaigns.length) + '건';
      const warned = d.upcomingCampaigns.filter((c) => c.warnings.length > 0).length;
      CD.$('#stat-upcoming-note').textContent = warned ? '준비 경고 ' + warned + '건' : '준비 경고 없음';
    }
  }

  // ---- 진행 중 캠페인 ----
  function renderCampaigns(list) {
    const box = CD.clear(CD.$('#dash-campaigns'));
    if (!list.length) {
      box.appendChild(
        CD.h(
          'div',
          { class: 'text-center text-body-secondary py-5' },
          CD.icon('fa-hourglass-half', 'fa-2x mb-3 opacity-50'),
          CD.h('p', { class: 'mb-0', id: 'dash-campaigns-empty', text: '진행 중인 캠페인이 없습니다.' })
        )
      );
    }
    list.forEach((c) => {
      box.appendChild(campaignBlock(c));
      drawFigures(c.id, {
        status: c.status,
        statusLabel: c.statusLabel,
        reason: c.reason,
        total: c.total,
        stages: c.stages,
        succeeded: c.succeeded,
        failed: c.failed,
        rate: c.queuedPerMinute,
        finishAt: c.estimatedFinishAt
      });
    });
    followStreams(list);
  }

  function campaignBlock(c) {
    const h = CD.h;
    const staff = STAFF.indexOf(state.me.role) >= 0;
    const actions = h('div', { class: 'd-flex gap-2' });
    if (staff) {
      actions.appendChild(
        h('button', { type: 'button', class: 'btn btn-sm btn-outline-warning', dataset: { action: 'pause' }, on: { click: (e) => act(e.currentTarget, c, 'pause') } }, CD.icon('fa-pause', 'me-1'), '일시정지')
      );
      actions.appendChild(
        h('button', { type: 'button', class: 'btn btn-sm btn-outline-primary', dataset: { action: 'resume' }, on: { click: (e) => act(e.currentTarget, c, 'resume') } }, CD.icon('fa-play', 'me-1'), '재개')
      );
    }
    const bars = h('div', { class: 'row g-2' });
    STAGES.forEach(([key, label]) => {
      const bar = h('div', { class: 'progress-bar' });
      bars.appendChild(
        h(
          'div',
          { class: 'col-6 col-lg-3', dataset: { stage: key } },
          h('div', { class: 'd-flex justify-content-between small' }, h('span', { text: label }), h('span', { class: 'cd-stage-count' })),
          h('div', { class: 'progress', role: 'progressbar', 'aria-label': label, 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': '0' }, bar)
        )
      );
    });
    return h(
      'section',
      { class: 'border rounded-3 p-3 mb-3', dataset: { campaign: String(c.id), scheduledAt: c.scheduledAt || '' }, 'aria-label': c.eventName },
      h(
        'div',
        { class: 'd-flex flex-wrap justify-content-between align-items-start gap-2 mb-2' },
        h(
          'div',
          {},
          h('a', { class: 'fw-semibold text-decoration-none', href: 'campaign.html?id=' + encodeURIComponent(c.id), text: '[' + c.clientName + '] ' + c.eventName }),
          h('div', { class: 'small text-body-secondary' }, '발송 예약 ' + CD.fmt.dateTime(c.scheduledAt) + ' · ', h('span', { class: 'cd-status' }), h('span', { class: 'cd-reason text-danger ms-1' }))
        ),
        actions
      ),
      bars,
      h('div', { class: 'small text-body-secondary mt-2 cd-figures' })
    );
  }

  function drawFigures(id, f) {
    const el = CD.$('[data-campaign="' + id + '"]');
    if (!el) return;
    STAGES.forEach(([key]) => {
      const done = f.stages[key] || 0;
      const pct = f.total > 0 ? Math.round((done / f.total) * 100) : 0;
      const stage = CD.$('[data-stage="' + key + '"]', el);
      CD.$('.cd-stage-count', stage).textContent = CD.fmt.number(done) + ' / ' + CD.fmt.number(f.total);
      CD.$('.progress', stage).setAttribute('aria-valuenow', String(pct));
      // Through the CSSOM: the Content-Security-Policy refuses style attributes.
      CD.$('.progress-bar', stage).style.width = pct + '%';
    });
    CD.clear(CD.$('.cd-status', el)).appendChild(CD.campaignBadge(f.status, f.statusLabel));
    CD.$('.cd-reason', el).textContent = f.reason || '';
    const running = RUNNING.indexOf(f.status) >= 0;
    CD.$('.cd-figures', el).textContent =
      '처리 속도 ' + CD.fmt.number(f.rate) + ' 건/분 · 예상 완료 ' + (running ? (f.finishAt ? CD.fmt.dateTime(f.finishAt) : '계산 중') : '-') +
      ' · 성공 ' + CD.fmt.number(f.succeeded) + ' · 실패 ' + CD.fmt.number(f.failed);
    CD.$$('[data-action]', el).forEach((button) => {
      button.hidden = button.dataset.action === 'pause' ? !running : ['PAUSED', 'ERROR'].indexOf(f.status) < 0;
    });
  }

  function followStreams(list) {
    const wanted = list.filter((c) => RUNNING.indexOf(c.status) >= 0).slice(0, MAX_STREAMS).map((c) => c.id);
    state.streams.forEach((follower, id) => {
      if (wanted.indexOf(id) < 0) {
        follower.stop();
        state.streams.delete(id);
      }
    });
    wanted.forEach((id) => {
      if (state.streams.has(id)) return;
      state.streams.set(
        id,
        CD.followProgress(id, {
          progress(p) {
            const s = CD.progressStages(p);
            drawFigures(id, {
              status: p.status,
              statusLabel: p.statusLabel,
              reason: ['PAUSED', 'ERROR'].indexOf(p.status) >= 0 ? p.stopReason : null,
              total: p.total,
              stages: s,
              succeeded: s.succeeded,
              failed: s.failed,
              rate: p.queuedPerMinute,
              finishAt: p.etaSeconds === null || p.etaSeconds === undefined ? null : finishTime(id, p.etaSeconds)
            });
            const el = CD.$('[data-campaign="' + id + '"]');
            // How this campaign is followed (stream or poll), for the reader and for the browser test.
            if (el && state.streams.has(id)) el.dataset.live = state.streams.get(id).mode;
            CD.$('#dash-live').textContent = '실시간 ' + CD.fmt.dateTimeSeconds(new Date());
          },
          end() {
            state.streams.delete(id);
            // Finished: it leaves the list and its results reach the cards.
            refresh();
          }
        })
      );
    });
  }

  // The stream's ETA is for preparing the messages; none is delivered before the send time.
  function finishTime(id, etaSeconds) {
    const el = CD.$('[data-campaign="' + id + '"]');
    const prepared = new Date(Date.now() + etaSeconds * 1000);
    const sendAt = el ? CD.fmt.toDate(el.dataset.scheduledAt) : null;
    return sendAt && sendAt > prepared ? sendAt : prepared;
  }

  const questions = {
    pause: { title: '일시정지', text: '발송을 일시정지하시겠습니까? 아직 통신사로 넘어가지 않은 메시지는 보류됩니다.', done: '발송을 일시정지했습니다.' },
    resume: { title: '재개', text: '발송을 재개하시겠습니까?', done: '발송을 재개했습니다.' }
  };

  async function act(button, c, action) {
    const q = questions[action];
    if (!(await CD.confirm('[' + c.clientName + '] ' + c.eventName + '\n' + q.text, { title: q.title }))) return;
    try {
      await CD.busy(button, null, () => CD.api('POST', '/api/campaigns/' + encodeURIComponent(c.id) + '/pipeline/' + action));
      CD.toast(q.done);
    } catch (e) {
      if (!e.redirected) CD.alert(CD.$('#dash-alert'), e.detail, 'danger');
    }
    await refresh();
  }

  // ---- 시스템 상태 ----
  function renderHealth(system, health, systemMissing) {
    const list = CD.clear(CD.$('#dash-health'));
    const row = (label, ok, text) =>
      list.appendChild(
        CD.h(
          'li',
          { class: 'list-group-item d-flex justify-content-between align-items-center px-0 gap-2' },
          CD.h('span', {}, CD.icon(ok === null ? 'fa-circle-minus' : ok ? 'fa-circle-check' : 'fa-circle-xmark', 'me-2 ' + (ok === null ? 'text-body-tertiary' : ok ? 'text-success' : 'text-danger')), label),
          CD.h('span', { class: 'small text-body-secondary text-end', text })
        )
      );
    const checks = (health && health.checks) || {};
    row('백오피스 서버', !!health, health ? '응답 정상' : CD.messages.offline);
    Object.keys(checks).forEach((key) => {
      const check = checks[key];
      const label = { database: '데이터베이스', cluster: 'DB 클러스터', redis: 'Redis 캐시', migrations: '스키마' }[key] || key;
      row(label, check.status === 'Healthy' ? true : check.status === 'Degraded' ? null : false, check.status === 'Healthy' ? '정상' : check.description || check.status);
    });
    if (systemMissing) {
      list.appendChild(CD.h('li', { class: 'list-group-item px-0' }, CD.h('div', { class: 'alert alert-warning small d-flex align-items-start gap-2 mb-0 cd-panel-error', role: 'status' }, CD.icon('fa-triangle-exclamation', 'mt-1'), CD.h('span', { text: systemMissing }))));
      return;
    }
    const coufun = system.coufun;
    const coufunOk = coufun.lastSuccessAt ? !coufun.lastErrorAt || CD.fmt.toDate(coufun.lastSuccessAt) >= CD.fmt.toDate(coufun.lastErrorAt) : null;
    row('COUFUN', coufunOk, '성공 ' + CD.fmt.dateTime(coufun.lastSuccessAt) + (coufun.lastErrorAt ? ' · 오류 ' + CD.fmt.dateTime(coufun.lastErrorAt) : ''));
    const agent = system.agent;
    row('SNAP Agent', !agent.delayed, agent.delayed ? agent.label + ' (' + Math.floor(agent.oldestDueSeconds / 60) + '분, ' + CD.fmt.number(agent.dueReady) + '건)' : '정상 · 대기 ' + CD.fmt.number(agent.dueReady) + '건');
    const sync = system.lastCatalogSync;
    row('상품 동기화', sync ? sync.outcome === 'SUCCEEDED' : null, sync ? ({ SUCCEEDED: '성공', FAILED: '실패', RUNNING: '진행 중' }[sync.outcome] || sync.outcome) + ' · ' + CD.fmt.dateTime(sync.finishedAt || sync.startedAt) : '기록 없음');
    const lastSync = system.lastResultSyncAt || null;
    row('결과 동기화', lastSync || system.lastResultAt ? true : null, (lastSync ? '실행 ' + CD.fmt.dateTime(lastSync) + ' · ' : '') + '최근 결과 ' + CD.fmt.dateTime(system.lastResultAt));
    row('쿠폰 상태 동기화', system.lastCouponStatusSyncAt ? true : null, system.lastCouponStatusSyncAt ? '실행 ' + CD.fmt.dateTime(system.lastCouponStatusSyncAt) : '기록 없음');
    const alive = system.workers.filter((w) => w.alive);
    const workers = alive.filter((w) => w.roles.indexOf('worker') >= 0).length;
    row('프로세스 (heartbeat)', system.workers.length ? alive.length === system.workers.length : null, '응답 ' + alive.length + ' / ' + system.workers.length + ' · 발송 워커 ' + workers);
  }

  // ---- 실패 사유 ----
  function selectTab(tab) {
    state.tab = tab;
    CD.$$('#failure-tabs [data-tab]').forEach((button) => {
      const active = button.dataset.tab === tab;
      button.classList.toggle('active', active);
      button.setAttribute('aria-selected', String(active));
    });
    renderFailures();
  }

  function renderFailures() {
    if (!state.data) return;
    const failed = (state.data.unavailable || {}).failures;
    CD.$('#failure-unavailable').hidden = !failed;
    CD.$('#failure-unavailable').textContent = failed || '';
    const rows = failed ? [] : state.data.failures[state.tab] || [];
    const tbody = CD.clear(CD.$('#failure-table tbody'));
    rows.forEach((r) =>
      tbody.appendChild(
        CD.h(
          'tr',
          {},
          CD.h('td', { class: 'cd-mono', text: r.code }),
          CD.h('td', { text: r.description }),
          CD.h('td', { class: 'text-end', text: CD.fmt.number(r.count) }),
          CD.h('td', {}, CD.badge(r.classLabel, r.retryable ? 'warning' : 'danger'))
        )
      )
    );
    if (!rows.length && !failed) tbody.appendChild(CD.emptyRow(4, (state.period === '7d' ? '최근 7일' : '오늘') + ' ' + TAB_LABELS[state.tab] + ' 실패가 없습니다.'));
    const top = rows.slice(0, 10);
    // The axis reads the reason; the code is in the tooltip (and in the table below).
    const data = {
      labels: top.map((r) => r.description || r.code),
      datasets: [{ label: TAB_LABELS[state.tab] + ' 실패 건수', data: top.map((r) => r.count), backgroundColor: top.map((r) => (r.retryable ? '#fd7e14' : '#dc3545')), maxBarThickness: 48 }]
    };
    if (state.chart) {
      state.chart.data = data;
      state.chart.update();
      return;
    }
    state.chart = new window.Chart(CD.$('#dash-failure-chart'), {
      type: 'bar',
      data,
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { afterLabel: (ctx) => '코드 ' + ((((state.data.failures || {})[state.tab] || [])[ctx.dataIndex] || {}).code || '-') } }
        },
        scales: {
          x: {
            ticks: {
              callback(value) {
                return shorten(this.getLabelForValue(value));
              }
            }
          },
          y: { beginAtZero: true, ticks: { precision: 0 } }
        }
      }
    });
  }

  // Long reasons stay readable under a bar; the tooltip has the whole text.
  function shorten(text) {
    const value = String(text || '');
    return value.length > 14 ? value.slice(0, 13) + '…' : value;
  }

  // ---- 예정 캠페인 ----
  function renderUpcoming(list) {
    const ul = CD.clear(CD.$('#dash-upcoming'));
    list.forEach((c) =>
      ul.appendChild(
        CD.h(
          'li',
          { class: 'list-group-item px-0', dataset: { upcoming: String(c.id) } },
          CD.h('div', { class: 'd-flex justify-content-between gap-2' }, CD.h('a', { class: 'text-decoration-none text-truncate', href: 'campaign.html?id=' + encodeURIComponent(c.id), text: '[' + c.clientName + '] ' + c.eventName }), CD.h('span', { class: 'small text-body-secondary text-nowrap', text: CD.fmt.dateTime(c.scheduledAt) })),
          CD.h(
            'div',
            { class: 'd-flex flex-wrap gap-1 mt-1' },
            c.warnings.length ? c.warnings.map((w) => CD.badge(w, 'warning')) : CD.badge('준비 완료', 'success'),
            CD.h('span', { class: 'small text-body-secondary ms-1', text: CD.fmt.number(c.recipientCount) + '명' })
          )
        )
      )
    );
    if (!list.length) ul.appendChild(CD.h('li', { class: 'list-group-item px-0 text-body-secondary', text: '24시간 이내 예정된 캠페인이 없습니다.' }));
  }
})();

// 대시보드 (spec §3.8): aggregates only, no personal data; refreshes every 30 s. Today it shows the catalog and the
// system state; the campaign cards fill in once the campaign pipeline's statistics API exists.
(function () {
  'use strict';
  const CD = window.CD;
  let chart = null;

  CD.page({
    id: 'dashboard',
    async init(me) {
      CD.$('#dash-register').hidden = !CD.can(me.role, 'register');
      CD.$('#dash-refresh').addEventListener('click', () => refresh());
      await refresh();
      window.setInterval(() => refresh().catch(() => {}), 30000);
    }
  });

  async function refresh() {
    const [sync, health] = await Promise.all([CD.api('GET', '/api/products/sync'), readiness()]);
    CD.$('#stat-onsale').textContent = CD.fmt.number(sync.productsOnSale);
    CD.$('#stat-discontinued').textContent = '판매중지 ' + CD.fmt.number(sync.productsDiscontinued) + '개';
    const last = sync.lastRun;
    CD.$('#stat-sync').textContent = last ? CD.fmt.dateTime(last.startedAt) : '기록 없음';
    CD.$('#stat-sync-note').textContent = last ? outcomeLabel(last.outcome) + ' · 다음 예정 ' + CD.fmt.dateTime(sync.nextScheduledAt) : '다음 예정 ' + CD.fmt.dateTime(sync.nextScheduledAt);
    renderHealth(health, sync);
    renderChart(sync.recentRuns || []);
    CD.$('#dash-updated').textContent = CD.fmt.dateTimeSeconds(new Date());
  }

  async function readiness() {
    try {
      const response = await fetch(CD.apiUrl('/health/ready'), { cache: 'no-store' });
      return await response.json();
    } catch (e) {
      return null;
    }
  }

  function outcomeLabel(outcome) {
    return { SUCCEEDED: '성공', FAILED: '실패', RUNNING: '진행 중' }[outcome] || outcome;
  }

  function renderHealth(health, sync) {
    const list = CD.clear(CD.$('#dash-health'));
    const row = (label, ok, text) =>
      list.appendChild(
        CD.h(
          'li',
          { class: 'list-group-item d-flex justify-content-between align-items-center px-0' },
          CD.h('span', {}, CD.icon(ok === null ? 'fa-circle-minus' : ok ? 'fa-circle-check' : 'fa-circle-xmark', 'me-2 ' + (ok === null ? 'text-body-tertiary' : ok ? 'text-success' : 'text-danger')), label),
          CD.h('span', { class: 'small text-body-secondary', text })
        )
      );
    const checks = (health && health.checks) || {};
    row('백오피스 서버', !!health, health ? '응답 정상' : CD.messages.offline);
    Object.keys(checks).forEach((key) => {
      const check = checks[key];
      const label = { database: '데이터베이스', redis: 'Redis 캐시', migrations: '스키마' }[key] || key;
      row(label, check.status === 'Healthy' ? true : check.status === 'Degraded' ? null : false, check.status === 'Healthy' ? '정상' : check.description || check.status);
    });
    const last = sync.lastRun;
    row('상품 동기화 (COUFUN)', last ? last.outcome === 'SUCCEEDED' : null, last ? outcomeLabel(last.outcome) + ' · ' + CD.fmt.dateTime(last.finishedAt || last.startedAt) : '기록 없음');
  }

  function renderChart(runs) {
    const ordered = runs.slice(0, 10).reverse();
    const labels = ordered.map((r) => CD.fmt.dateTime(r.startedAt).slice(5));
    const data = {
      labels,
      datasets: [
        { label: '추가', data: ordered.map((r) => r.added || 0), backgroundColor: '#007bff', maxBarThickness: 56 },
        { label: '변경', data: ordered.map((r) => r.changed || 0), backgroundColor: '#fd7e14', maxBarThickness: 56 },
        { label: '판매중지', data: ordered.map((r) => r.discontinued || 0), backgroundColor: '#dc3545', maxBarThickness: 56 }
      ]
    };
    if (chart) {
      chart.data = data;
      chart.update();
      return;
    }
    chart = new window.Chart(CD.$('#dash-sync-chart'), {
      type: 'bar',
      data,
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { position: 'bottom' } },
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } }
      }
    });
  }
})();

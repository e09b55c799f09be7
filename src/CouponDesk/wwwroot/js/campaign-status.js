// Campaign states (spec §4.1) shared by 발송조회 list and detail: Korean labels and badge colours.
(function () {
  'use strict';
  const CD = window.CD;
  const states = [
    ['DRAFT', '임시저장', 'secondary'],
    ['SCHEDULED', '예약', 'info'],
    ['ISSUING', '준비중', 'primary'],
    ['SENDING', '발송중', 'primary'],
    ['PAUSED', '일시정지', 'warning'],
    ['ERROR', '오류', 'danger'],
    ['CANCELLING', '취소중', 'warning'],
    ['CANCELLED', '취소', 'secondary'],
    ['COMPLETED', '완료', 'success'],
    ['PARTIALLY_FAILED', '부분오류', 'warning'],
    ['FAILED', '실패', 'danger']
  ];
  CD.campaignStates = Object.freeze(states.map((s) => Object.freeze({ code: s[0], label: s[1], kind: s[2] })));
  CD.campaignBadge = function (code, label) {
    const state = CD.campaignStates.find((s) => s.code === code);
    return CD.badge(label || (state ? state.label : code), state ? state.kind : 'secondary');
  };
})();

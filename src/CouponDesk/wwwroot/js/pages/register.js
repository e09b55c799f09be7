// 발송등록 (spec §3.2): ADMIN and OPERATOR only (P5).
(function () {
  'use strict';
  const CD = window.CD;
  CD.page({ id: 'register', roles: ['ADMIN', 'OPERATOR'], init() {} });
})();

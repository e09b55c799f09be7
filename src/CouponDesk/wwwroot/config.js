// Where the pages find the API. Empty: the same origin that served the pages (the back office itself).
// For pages opened from files or from another host, set the back office's address, e.g. "https://coupondesk.example.kr",
// and add this page's origin to the back office's Web:CorsOrigins.
window.CouponDeskConfig = Object.freeze({
  apiBaseUrl: ""
});

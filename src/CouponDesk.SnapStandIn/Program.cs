using CouponDesk.Shared.Hosting;
using CouponDesk.Shared.Text;
using CouponDesk.SnapStandIn;

// The gateway counts MMS text in EUC-KR bytes; the code pages are not available until registered.
KoreanEncoding.Register();
return await HostRunner.RunAsync(async () =>
{
    await SnapStandInApp.Build(args).RunAsync();
    return 0;
});

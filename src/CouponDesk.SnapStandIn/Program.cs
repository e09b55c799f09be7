using System.Text;
using CouponDesk.Shared.Hosting;
using CouponDesk.SnapStandIn;

// The gateway counts MMS text in EUC-KR bytes; the code pages are not available until registered.
Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
return await HostRunner.RunAsync(async () =>
{
    await SnapStandInApp.Build(args).RunAsync();
    return 0;
});

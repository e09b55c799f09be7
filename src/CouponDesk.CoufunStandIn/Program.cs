using System.Text;
using CouponDesk.CoufunStandIn;
using CouponDesk.Shared.Hosting;

// COUFUN answers in EUC-KR; the code pages are not available until registered.
Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
return await HostRunner.RunAsync(async () =>
{
    await CoufunStandInApp.Build(args).RunAsync();
    return 0;
});

using CouponDesk.Hosting;
using CouponDesk.Shared.Hosting;
using CouponDesk.Shared.Text;

// COUFUN speaks EUC-KR/CP949; the code pages are not available until registered.
KoreanEncoding.Register();
return await HostRunner.RunAsync(() => CouponDeskHost.RunAsync(args));

/// <summary>Entry point; public so the test host (WebApplicationFactory) can find it.</summary>
public partial class Program;

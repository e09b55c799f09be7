using System.Runtime.CompilerServices;
using CouponDesk.Shared.Text;

namespace CouponDesk.Web.Tests;

/// <summary>EUC-KR is not available in .NET until the code-pages provider is registered (Program.cs does it for the real host).</summary>
internal static class CodePagesSetup
{
    [ModuleInitializer]
    internal static void Register() => KoreanEncoding.Register();
}

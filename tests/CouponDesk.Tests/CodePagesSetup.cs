using System.Runtime.CompilerServices;
using CouponDesk.Shared.Text;

namespace CouponDesk.Tests;

/// <summary>EUC-KR and CP949 are not available in .NET until the code-pages provider is registered (Program.cs does it for the hosts).</summary>
internal static class CodePagesSetup
{
    [ModuleInitializer]
    internal static void Register() => KoreanEncoding.Register();
}

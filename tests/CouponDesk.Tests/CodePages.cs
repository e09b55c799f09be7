using System.Text;
using CouponDesk.Shared.Text;

namespace CouponDesk.Tests;

/// <summary>The code pages (CP949, EUC-KR) the product registers in Program.cs, registered for tests that run without the host.</summary>
public static class CodePages
{
    public static Encoding Get(int codePage)
    {
        KoreanEncoding.Register();
        return Encoding.GetEncoding(codePage);
    }
}

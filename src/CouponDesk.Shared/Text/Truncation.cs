using System.Diagnostics.CodeAnalysis;

namespace CouponDesk.Shared.Text;

public static class Truncation
{
    /// <summary>At most <paramref name="max"/> characters (UTF-16 units), for columns and messages with a length limit.</summary>
    [return: NotNullIfNotNull(nameof(value))]
    public static string? Truncate(this string? value, int max) => value is null || value.Length <= max ? value : value[..max];
}

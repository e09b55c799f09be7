using System.Globalization;

namespace CouponDesk.Features.Messages;

/// <summary>
/// CLIENT_KEY (spec/snap-agent.md §8): <c>CD</c> + environment letter + KST <c>yyMMdd</c> + the message id, zero-padded
/// to 10 digits — 19 characters of <c>[A-Z0-9]</c> (at most 28 for ids beyond 10 digits), unique because the id is,
/// new for every attempt because every attempt is a new message, and traceable: the id is its last digits.
/// </summary>
public static class ClientKeys
{
    public const int MaxLength = 30;

    public static string For(char environmentLetter, DateTime kstDate, long messageId)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(messageId, 1);
        return string.Create(CultureInfo.InvariantCulture, $"CD{environmentLetter}{kstDate:yyMMdd}{messageId:D10}");
    }

    /// <summary>The message id inside a key written by <see cref="For"/>, or null for a key that is not ours.</summary>
    public static long? MessageIdOf(string clientKey) =>
        clientKey.Length is >= 19 and <= MaxLength && clientKey.StartsWith("CD", StringComparison.Ordinal)
        && long.TryParse(clientKey.AsSpan(9), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : null;
}

using System.Diagnostics.Metrics;

namespace CouponDesk.Security.Pii;

/// <summary>
/// Shows a stored personal-data value on a page without letting one bad value break it: a purged value reads as
/// <see cref="Purged"/>, one that cannot be decrypted — above all a bound value copied from another row or column — as
/// <see cref="Unreadable"/>. The failure is logged with the place and reason only (never the value) and counted
/// (<c>coupondesk.pii.unreadable</c>), so an operator sees it without anyone seeing a wrong person's data.
/// </summary>
public sealed class PiiReader(PiiProtector pii, ILogger<PiiReader> logger, IMeterFactory meters)
{
    public const string Purged = "(파기됨)";
    public const string Unreadable = "복호화 불가";

    private readonly Counter<long> unreadable = meters.Create("CouponDesk.Pii").CreateCounter<long>("coupondesk.pii.unreadable", description: "personal-data values that could not be decrypted where they were read");

    /// <summary>The masked value, <see cref="Purged"/> when <paramref name="stored"/> is NULL, or <see cref="Unreadable"/>.</summary>
    public string Masked(byte[]? stored, PiiPlace place, Func<string, string> mask) =>
        stored is null ? Purged : TryReveal(stored, place) is { } clear ? mask(clear) : Unreadable;

    /// <summary>The clear value, null when <paramref name="stored"/> is NULL, or <see cref="Unreadable"/> (logged and counted).</summary>
    public string? Show(byte[]? stored, PiiPlace place) => stored is null ? null : TryReveal(stored, place) ?? Unreadable;

    /// <summary>The clear value, null when <paramref name="stored"/> is NULL, or <see cref="Unreadable"/> (logged and counted).</summary>
    public string? Show(EncryptedString? stored, PiiPlace place) => Show(stored?.ToArray(), place);

    /// <summary>The clear value, or null (logged and counted) when it cannot be decrypted where it was read.</summary>
    public string? TryReveal(byte[] stored, PiiPlace place)
    {
        try
        {
            return pii.Decrypt(stored, place);
        }
        catch (PiiDecryptionException ex)
        {
            unreadable.Add(1, new KeyValuePair<string, object?>("column", place.Table + "." + place.Column));
            logger.LogWarning("A personal-data value at {Place} cannot be decrypted ({Kind}): {Reason}", place.ToString(), ex.GetType().Name, ex.Message);
            return null;
        }
    }
}

using System.Globalization;
using System.Text;
using CouponDesk.Integrations.Coufun;
using CouponDesk.Shared.Text;

namespace CouponDesk.Features.Coupons;

/// <summary>
/// Reads and validates the push fields (spec §7.2): form body and query string, percent-escapes decoded as CP949
/// unless the Content-Type names another charset. Returns the event or the reason it is malformed.
/// </summary>
public static class ExchangePushRequest
{
    public static Dictionary<string, string> ParseFields(string query, byte[] body, string? contentType)
    {
        var encoding = KoreanEncoding.Cp949;
        if (contentType is not null && System.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media) && media.CharSet is { Length: > 0 } charset)
        {
            try
            {
                encoding = charset.Equals("euc-kr", StringComparison.OrdinalIgnoreCase) ? KoreanEncoding.Cp949 : Encoding.GetEncoding(charset);
            }
            catch (ArgumentException)
            {
                encoding = KoreanEncoding.Cp949;
            }
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        FormEncoding.AddPairs(fields, Encoding.ASCII.GetString(body), encoding);
        FormEncoding.AddPairs(fields, query.StartsWith('?') ? query[1..] : query, encoding);
        return fields;
    }

    public static (ExchangeEvent? Event, string? Problem) Validate(IReadOnlyDictionary<string, string> f)
    {
        var barcode = f.GetValueOrDefault("BARCODE_NUM")?.Trim();
        if (string.IsNullOrEmpty(barcode) || barcode.Length > 30 || !barcode.All(c => c is > ' ' and <= '~'))
        {
            return (null, "BARCODE_NUM missing or not 1-30 ASCII characters");
        }

        var exchangeNum = f.GetValueOrDefault("EXCHANGE_NUM")?.Trim() ?? "";
        if (exchangeNum.Length > 30 || !exchangeNum.All(c => c is > ' ' and <= '~'))
        {
            return (null, "EXCHANGE_NUM longer than 30 or not ASCII");
        }

        var status = f.GetValueOrDefault("STATUS")?.Trim();
        if (status is not ("000" or "001" or "100"))
        {
            return (null, "STATUS is not 000, 001 or 100");
        }

        var date = f.GetValueOrDefault("EXCHANGE_DATE")?.Trim();
        if (CoufunDates.ParseTimestampToUtc(date) is not { } at)
        {
            return (null, "EXCHANGE_DATE is not YYYYMMDDHH24MISS");
        }

        var type = Optional(f, "BARCODE_TYPE");
        if (type is not (null or CouponType.Barcode or CouponType.Amount))
        {
            return (null, "BARCODE_TYPE is not BARCODE or AMOUNT");
        }

        var branchName = Optional(f, "BRANCH_NAME");
        var branchCode = Optional(f, "BRANCH_CODE");
        if (branchName is { Length: > 50 } || branchCode is { Length: > 20 })
        {
            return (null, "BRANCH_NAME or BRANCH_CODE too long");
        }

        if (!TryAmount(f, "PRICE", out var price) || !TryAmount(f, "BALANCE", out var balance))
        {
            return (null, "PRICE or BALANCE is not a number of up to 10 digits");
        }

        return (new ExchangeEvent(barcode, exchangeNum, status, date!, at, branchName, branchCode, type, price, balance), null);
    }

    private static string? Optional(IReadOnlyDictionary<string, string> f, string name) => f.GetValueOrDefault(name)?.Trim() is { Length: > 0 } v ? v : null;

    private static bool TryAmount(IReadOnlyDictionary<string, string> f, string name, out int? value)
    {
        value = null;
        if (Optional(f, name) is not { } text)
        {
            return true;
        }

        if (text.Length <= 10 && text.All(char.IsAsciiDigit) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            value = n;
            return true;
        }

        return false;
    }
}

using System.Text;

namespace CouponDesk.Shared.Text;

/// <summary>
/// <c>application/x-www-form-urlencoded</c> text whose percent-escapes are bytes of a legacy encoding — COUFUN's calls
/// and pushes escape CP949 bytes (coufun-b2c-api.md §1, §7.2), which <see cref="System.Net.WebUtility"/> would read as UTF-8.
/// </summary>
public static class FormEncoding
{
    /// <summary>Adds the <c>name=value</c> pairs of <paramref name="encoded"/> (no leading '?'); the first occurrence of a name wins.</summary>
    public static void AddPairs(IDictionary<string, string> fields, string encoded, Encoding encoding)
    {
        foreach (var pair in encoded.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            fields.TryAdd(Decode(eq < 0 ? pair : pair[..eq], encoding), eq < 0 ? "" : Decode(pair[(eq + 1)..], encoding));
        }
    }

    /// <summary>'+' is a space, <c>%XX</c> a byte, any other character stands for its own bytes in <paramref name="encoding"/>.</summary>
    public static string Decode(string escaped, Encoding encoding)
    {
        var bytes = new List<byte>(escaped.Length);
        for (var i = 0; i < escaped.Length; i++)
        {
            var c = escaped[i];
            if (c == '+')
            {
                bytes.Add((byte)' ');
            }
            else if (c == '%' && i + 2 < escaped.Length && Uri.IsHexDigit(escaped[i + 1]) && Uri.IsHexDigit(escaped[i + 2]))
            {
                bytes.Add(Convert.ToByte(escaped.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.AddRange(encoding.GetBytes(c.ToString()));
            }
        }

        return encoding.GetString([.. bytes]);
    }
}

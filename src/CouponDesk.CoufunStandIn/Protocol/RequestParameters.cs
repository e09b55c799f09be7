using System.Text;
using CouponDesk.Shared.Text;

namespace CouponDesk.CoufunStandIn.Protocol;

/// <summary>
/// Parameters of a B2C call, from the query string and a form body, percent-escapes decoded as CP949 ([S] spec §1).
/// Names are case-sensitive upper case; the first occurrence of a name wins.
/// </summary>
public sealed class RequestParameters
{
    private const int MaxBodyBytes = 64 * 1024;
    private readonly Dictionary<string, string> values = new(StringComparer.Ordinal);

    public string? this[string name] => values.GetValueOrDefault(name);

    public static async Task<RequestParameters> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var parameters = new RequestParameters();
        parameters.AddEncoded(request.QueryString.HasValue ? request.QueryString.Value![1..] : "");
        if (HttpMethods.IsPost(request.Method) && request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true)
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[8192];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0 && buffer.Length <= MaxBodyBytes)
            {
                buffer.Write(chunk, 0, read);
            }

            parameters.AddEncoded(Encoding.ASCII.GetString(buffer.GetBuffer(), 0, (int)Math.Min(buffer.Length, MaxBodyBytes)));
        }

        return parameters;
    }

    private void AddEncoded(string encoded)
    {
        foreach (var pair in encoded.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var name = Decode(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? "" : Decode(pair[(eq + 1)..]);
            values.TryAdd(name, value);
        }
    }

    public static string Decode(string escaped)
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
                bytes.AddRange(KoreanEncoding.Cp949.GetBytes(c.ToString()));
            }
        }

        return KoreanEncoding.Cp949.GetString(bytes.ToArray());
    }
}

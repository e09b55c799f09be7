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

    private void AddEncoded(string encoded) => FormEncoding.AddPairs(values, encoded, KoreanEncoding.Cp949);
}

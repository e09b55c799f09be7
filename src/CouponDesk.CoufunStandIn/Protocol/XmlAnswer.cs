using System.Security;
using System.Text;
using CouponDesk.Shared.Text;

namespace CouponDesk.CoufunStandIn.Protocol;

/// <summary>
/// Writes an answer the way the manual's examples look: the EUC-KR declaration, the root, one element per line
/// indented by two spaces, nested blocks indented further; encoded with CP949 and sent as
/// <c>text/xml; charset=EUC-KR</c> with HTTP 200.
/// </summary>
public sealed class XmlAnswer(string root)
{
    public const string ContentType = "text/xml; charset=EUC-KR";

    private readonly StringBuilder body = new();

    public string Root { get; } = root;

    public XmlAnswer Add(string name, string? value, int depth = 1)
    {
        body.Append(' ', depth * 2).Append('<').Append(name).Append('>')
            .Append(SecurityElement.Escape(value ?? "")).Append("</").Append(name).Append(">\n");
        return this;
    }

    public XmlAnswer Add(string name, long value, int depth = 1) => Add(name, value.ToString(System.Globalization.CultureInfo.InvariantCulture), depth);

    public XmlAnswer Block(string name, Action<XmlAnswer> content)
    {
        body.Append("  <").Append(name).Append(">\n");
        var inner = new XmlAnswer(name);
        content(inner);
        foreach (var line in inner.body.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            body.Append("  ").Append(line).Append('\n');
        }

        body.Append("  </").Append(name).Append(">\n");
        return this;
    }

    public static XmlAnswer Failure(string root, string api, string code) =>
        new XmlAnswer(root).Add("RESULT_CODE", code).Add("RESULT_MSG", ResultMessages.For(api, code));

    public string Text => $"<?xml version=\"1.0\" encoding=\"EUC-KR\"?>\n<{Root}>\n{body}</{Root}>\n";

    public byte[] Bytes => KoreanEncoding.Cp949.GetBytes(Text);
}

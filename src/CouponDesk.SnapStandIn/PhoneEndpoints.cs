using CouponDesk.Shared.Snap;
using Dapper;

namespace CouponDesk.SnapStandIn;

/// <summary>
/// A small "phone": the messages delivered to one number, with their images, for demos and end-to-end tests.
/// The number travels only in a POST body (<c>POST /phone/messages</c>, <c>{"phone":"010-0000-0001"}</c>), never in a
/// URL; images are fetched by CLIENT_KEY (<c>GET /phone/images/{clientKey}/{n}</c>). <c>GET /phone</c> is a page that
/// does both.
/// </summary>
public static class PhoneEndpoints
{
    public static void MapPhone(this WebApplication app)
    {
        app.MapGet("/phone", () => Results.Content(Page, "text/html; charset=utf-8"));
        app.MapPost("/phone/messages", async (PhoneQuery query, AgentTables tables, CancellationToken ct) =>
        {
            var digits = new string([.. (query.Phone ?? "").Where(char.IsAsciiDigit)]);
            if (!MmsLimits.IsMobileNumber(digits))
            {
                return Results.BadRequest(new { error = "phone must be a mobile number (01x, 10-11 digits)" });
            }

            await using var connection = await tables.OpenAsync(ct);
            var rows = await connection.QueryAsync<(string Key, string? Title, string? Msg, string? Files, DateTime At, int Count)>(new CommandDefinition(
                $"SELECT client_key, title, msg, image_files, first_delivered_at, deliver_count FROM {AgentTables.Ledger} WHERE phone = @digits ORDER BY first_delivered_at, client_key",
                new { digits }, cancellationToken: ct));
            return Results.Ok(rows.Select(r => new
            {
                clientKey = r.Key,
                title = r.Title,
                body = r.Msg,
                deliveredAt = r.At.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
                deliveries = r.Count,
                images = GatewayChecks.Files(r.Files).Select((_, i) => $"/phone/images/{r.Key}/{i + 1}").ToArray(),
            }));
        });
        app.MapGet("/phone/images/{clientKey}/{n:int}", async (string clientKey, int n, AgentTables tables, CancellationToken ct) =>
        {
            if (clientKey.Length is 0 or > 40 || !clientKey.All(char.IsAsciiLetterOrDigit))
            {
                return Results.NotFound();
            }

            await using var connection = await tables.OpenAsync(ct);
            var files = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                $"SELECT image_files FROM {AgentTables.Ledger} WHERE client_key = @clientKey", new { clientKey }, cancellationToken: ct));
            var list = GatewayChecks.Files(files);
            return n >= 1 && n <= list.Length && File.Exists(list[n - 1])
                ? Results.File(list[n - 1], "image/jpeg")
                : Results.NotFound();
        });
    }

    public sealed record PhoneQuery(string? Phone);

    private const string Page = """
        <!doctype html>
        <html lang="ko"><head><meta charset="utf-8"><title>SNAP stand-in — 휴대폰</title>
        <style>body{font-family:sans-serif;max-width:480px;margin:2em auto}.msg{border:1px solid #ccc;border-radius:8px;padding:8px;margin:8px 0}
        img{max-width:100%}pre{white-space:pre-wrap}</style></head>
        <body><h1>수신 메시지 보기</h1>
        <form id="f"><input id="phone" placeholder="010-0000-0000" autocomplete="off"> <button>조회</button></form>
        <div id="out"></div>
        <script>
        document.getElementById('f').onsubmit = async e => {
          e.preventDefault();
          const out = document.getElementById('out'); out.textContent = '';
          const r = await fetch('/phone/messages', {method:'POST', headers:{'Content-Type':'application/json'},
            body: JSON.stringify({phone: document.getElementById('phone').value})});
          if (!r.ok) { out.textContent = '번호를 확인해 주세요.'; return; }
          for (const m of await r.json()) {
            const d = document.createElement('div'); d.className = 'msg';
            const h = document.createElement('b'); h.textContent = m.title ?? ''; d.append(h);
            const p = document.createElement('pre'); p.textContent = m.body ?? ''; d.append(p);
            for (const src of m.images) { const i = document.createElement('img'); i.src = src; d.append(i); }
            const s = document.createElement('small'); s.textContent = m.deliveredAt + ' · ' + m.clientKey; d.append(s);
            out.append(d);
          }
          if (!out.children.length) out.textContent = '받은 메시지가 없습니다.';
        };
        </script></body></html>
        """;
}

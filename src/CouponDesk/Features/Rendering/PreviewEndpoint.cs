using System.Globalization;
using CouponDesk.Hosting;
using CouponDesk.Security;
using CouponDesk.Web.Errors;
using Microsoft.AspNetCore.Http.Features;

namespace CouponDesk.Features.Rendering;

/// <summary>
/// <c>POST /api/rendering/preview</c> (spec §3.2.2): the real layout for the registration form, with a sample barcode
/// and a "미리보기" watermark, as image/jpeg. multipart/form-data: <c>productName</c>, <c>brand</c>,
/// <c>validUntil</c> (yyyy-MM-dd), <c>couponType</c> (BARCODE | AMOUNT), <c>amount</c>, and the files
/// <c>productImage</c> (optional: the placeholder is drawn) and <c>bannerImage</c> (optional).
/// </summary>
public sealed class PreviewEndpoint : IEndpointModule
{
    public const string Route = "/api/rendering/preview";

    /// <summary>Decoding and drawing are CPU and memory heavy: at most one preview per core at a time.</summary>
    private static readonly SemaphoreSlim Gate = new(Environment.ProcessorCount);

    public void Map(IEndpointRouteBuilder app) =>
        app.MapPost(Route, RenderAsync)
            .RequireAuthorization(Policies.RegisterCampaign)
            .DisableAntiforgery()
            .WithTags("Rendering")
            .WithSummary("Coupon image preview for campaign registration")
            .Produces(StatusCodes.Status200OK, contentType: "image/jpeg")
            .ProducesProblem(StatusCodes.Status400BadRequest);

    private static async Task<IResult> RenderAsync(HttpRequest request, CouponRenderer renderer, RenderingOptions options, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType || !request.ContentType!.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return new ApiProblem(StatusCodes.Status415UnsupportedMediaType, ErrorCodes.UnsupportedMediaType, "Unsupported media type",
                "미리보기 요청은 multipart/form-data 형식이어야 합니다.").ToResult();
        }

        var limit = (2L * options.MaxUploadBytes) + (64 * 1024);
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = limit, ValueLengthLimit = 4096, ValueCountLimit = 16 }, cancellationToken);
        }
        catch (InvalidDataException)
        {
            return new ApiProblem(StatusCodes.Status413PayloadTooLarge, ErrorCodes.PayloadTooLarge, "Payload too large",
                $"이미지는 각각 {options.MaxUploadBytes / (1024 * 1024)}MB 이하로 올려 주세요.").ToResult();
        }

        var (spec, errors) = await ReadSpecAsync(form, options, cancellationToken);
        if (spec is not null)
        {
            foreach (var problem in renderer.Validate(spec))
            {
                Add(errors, problem.Field, problem.Message);
            }
        }

        if (errors.Count > 0 || spec is null)
        {
            return ApiProblem.Validation(errors.ToDictionary(e => e.Key, e => e.Value.ToArray())).ToResult();
        }

        await Gate.WaitAsync(cancellationToken);
        try
        {
            var preview = renderer.RenderPreview(spec);
            request.HttpContext.Response.Headers.CacheControl = "no-store";
            return Results.File(preview.Jpeg, "image/jpeg");
        }
        catch (CouponRenderException e)
        {
            return ApiProblem.Validation(e.Field, e.Message).ToResult();
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<(CouponTemplateSpec? Spec, Dictionary<string, List<string>> Errors)> ReadSpecAsync(
        IFormCollection form, RenderingOptions options, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, List<string>>();
        var name = form["productName"].ToString();
        var brand = form["brand"].ToString();
        if (!DateOnly.TryParseExact(form["validUntil"].ToString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var validUntil))
        {
            Add(errors, "validUntil", "유효기간은 YYYY-MM-DD 형식의 날짜여야 합니다.");
        }

        var type = CouponType.Barcode;
        var typeText = form["couponType"].ToString();
        if (typeText.Length > 0 && !TryParseType(typeText, out type))
        {
            Add(errors, "couponType", "쿠폰 유형은 BARCODE 또는 AMOUNT여야 합니다.");
        }

        long? amount = null;
        var amountText = form["amount"].ToString();
        if (amountText.Length > 0)
        {
            if (long.TryParse(amountText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed is > 0 and <= 100_000_000)
            {
                amount = parsed;
            }
            else
            {
                Add(errors, "amount", "금액은 1원 이상 1억원 이하의 숫자여야 합니다.");
            }
        }

        var product = await ReadFileAsync(form, "productImage", "상품 이미지", options, errors, cancellationToken);
        var banner = await ReadFileAsync(form, "bannerImage", "배너 이미지", options, errors, cancellationToken);
        return errors.Count > 0 ? (null, errors) : (new CouponTemplateSpec(name, brand, validUntil, type, amount, product, banner), errors);
    }

    private static bool TryParseType(string text, out CouponType type)
    {
        type = text.ToUpperInvariant() switch
        {
            "BARCODE" => CouponType.Barcode,
            "AMOUNT" => CouponType.Amount,
            _ => (CouponType)(-1),
        };
        return Enum.IsDefined(type);
    }

    private static async Task<byte[]?> ReadFileAsync(
        IFormCollection form, string field, string label, RenderingOptions options, Dictionary<string, List<string>> errors, CancellationToken cancellationToken)
    {
        var file = form.Files.GetFile(field);
        if (file is null)
        {
            return null;
        }

        if (file.Length == 0)
        {
            Add(errors, field, "업로드된 파일이 비어 있습니다.");
            return null;
        }

        if (file.Length > options.MaxUploadBytes)
        {
            Add(errors, field, $"{label}는 {options.MaxUploadBytes / (1024 * 1024)}MB 이하의 JPG, PNG, GIF 파일만 가능합니다.");
            return null;
        }

        using var buffer = new MemoryStream((int)file.Length);
        await file.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    private static void Add(Dictionary<string, List<string>> errors, string field, string message)
    {
        if (!errors.TryGetValue(field, out var list))
        {
            errors[field] = list = [];
        }

        list.Add(message);
    }
}

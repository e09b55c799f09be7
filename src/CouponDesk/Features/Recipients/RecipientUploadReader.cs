using Microsoft.AspNetCore.Http.Features;

namespace CouponDesk.Features.Recipients;

/// <summary>
/// Reads an upload body with its size limit enforced while reading: a declared length over the limit is refused
/// before a byte is read, and an undeclared (chunked) body is cut off at the limit, so a 50 MB body never reaches
/// memory. Then parses it as .xlsx or CSV into a recipient list.
/// </summary>
public sealed class RecipientUploadReader(RecipientOptions options)
{
    public async Task<MemoryStream> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var limit = options.MaxFileBytes;
        if (request.ContentLength > limit)
        {
            throw new RecipientUploadException(UploadProblems.TooLarge(limit));
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = limit + 1;
        }

        var buffer = new MemoryStream(request.ContentLength is { } declared ? (int)declared : 64 * 1024);
        var chunk = new byte[81920];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    throw new RecipientUploadException(UploadProblems.TooLarge(limit));
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new RecipientUploadException(UploadProblems.TooLarge(limit));
        }

        if (buffer.Length == 0)
        {
            throw new RecipientUploadException(UploadProblems.Empty());
        }

        buffer.Position = 0;
        return buffer;
    }

    public ParsedRecipientList Parse(string fileName, MemoryStream content, out UploadKind kind)
    {
        kind = UploadFormat.Detect(fileName, content.GetBuffer().AsSpan(0, (int)content.Length));
        try
        {
            return kind == UploadKind.Xlsx ? ParseXlsx(content) : ParseCsv(content);
        }
        catch (Exception ex) when (ex is not RecipientUploadException and not OutOfMemoryException)
        {
            // Whatever else a broken file makes a library throw (an unsupported zip method, a malformed record …)
            // is the file's fault: a 400 that names no internals, never a 500.
            throw new RecipientUploadException(UploadProblems.Unreadable());
        }
    }

    private ParsedRecipientList ParseXlsx(MemoryStream content)
    {
        XlsxRowReader.CheckPackage(content, options.MaxXlsxUncompressedBytes);
        // Blank rows do not count toward the row limit, but a sheet may not be much taller than the limit.
        XlsxSheetGuard.Check(content, (options.MaxRows * 5) + 1000);
        return new RecipientListBuilder(options.MaxRows).Build(XlsxRowReader.Read(content));
    }

    private ParsedRecipientList ParseCsv(MemoryStream content)
    {
        var text = CsvTextDecoder.Decode(content.GetBuffer().AsSpan(0, (int)content.Length));
        return new RecipientListBuilder(options.MaxRows).Build(CsvRowReader.Read(text));
    }
}

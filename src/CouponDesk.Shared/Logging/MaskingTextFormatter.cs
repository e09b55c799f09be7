using Serilog.Events;
using Serilog.Formatting;
using Serilog.Parsing;

namespace CouponDesk.Shared.Logging;

/// <summary>
/// Wraps a formatter and masks phone and coupon numbers wherever they sit in an event: the message template's text,
/// string properties (also inside structures, sequences and dictionaries) and the exception's text. Masking happens on
/// the event, not on the finished line, so the JSON stays valid. Numeric properties are left alone: coupon numbers and
/// phone numbers are strings in this code base (a phone has a leading zero, a coupon number is an opaque string).
/// </summary>
public sealed class MaskingTextFormatter(ITextFormatter inner) : ITextFormatter
{
    private static readonly MessageTemplateParser Parser = new();

    public void Format(LogEvent logEvent, TextWriter output) => inner.Format(Mask(logEvent), output);

    public static LogEvent Mask(LogEvent logEvent)
    {
        var text = logEvent.MessageTemplate.Text;
        var maskedText = SensitiveDataMasker.Mask(text);
        var template = ReferenceEquals(maskedText, text) || maskedText == text ? logEvent.MessageTemplate : Parser.Parse(maskedText);
        var properties = logEvent.Properties.Select(p => new LogEventProperty(p.Key, Mask(p.Value)));
        var exception = logEvent.Exception is null ? null : new MaskedException(logEvent.Exception);
        return new LogEvent(logEvent.Timestamp, logEvent.Level, exception, template, properties, logEvent.TraceId ?? default, logEvent.SpanId ?? default);
    }

    private static LogEventPropertyValue Mask(LogEventPropertyValue value) => value switch
    {
        ScalarValue { Value: string s } => new ScalarValue(SensitiveDataMasker.Mask(s)),
        ScalarValue => value,
        SequenceValue seq => new SequenceValue(seq.Elements.Select(Mask)),
        StructureValue st => new StructureValue(st.Properties.Select(p => new LogEventProperty(p.Name, Mask(p.Value))), st.TypeTag),
        DictionaryValue d => new DictionaryValue(d.Elements.Select(e => new KeyValuePair<ScalarValue, LogEventPropertyValue>(
            e.Key.Value is string k ? new ScalarValue(SensitiveDataMasker.Mask(k)) : e.Key, Mask(e.Value)))),
        _ => new ScalarValue(SensitiveDataMasker.Mask(value.ToString())),
    };

    /// <summary>Carries an exception's masked text; formatters write <see cref="ToString"/>.</summary>
    private sealed class MaskedException(Exception original) : Exception(SensitiveDataMasker.Mask(original.Message))
    {
        private readonly string text = SensitiveDataMasker.Mask(original.ToString());

        public override string ToString() => text;
    }
}

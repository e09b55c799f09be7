namespace CouponDesk.Features.Rendering;

/// <summary>Writes entropy-coded bits, stuffing 0x00 after every 0xFF; rows end padded with 1-bits.</summary>
internal sealed class EntropyWriter(int capacity)
{
    private byte[] bytes = new byte[capacity];
    private int length;
    private ulong buffer;
    private int count;

    public void Write(int value, int bits)
    {
        buffer = (buffer << bits) | ((ulong)value & ((1UL << bits) - 1));
        count += bits;
        while (count >= 8)
        {
            count -= 8;
            Put((byte)(buffer >> count));
        }
    }

    /// <summary>Pads the last byte with 1-bits and returns the row's bytes, starting the next row empty.</summary>
    public byte[] Flush()
    {
        if (count > 0)
        {
            Write((1 << (8 - count)) - 1, 8 - count);
        }

        var row = bytes.AsSpan(0, length).ToArray();
        length = 0;
        buffer = 0;
        return row;
    }

    private void Put(byte value)
    {
        if (length + 2 > bytes.Length)
        {
            Array.Resize(ref bytes, bytes.Length * 2);
        }

        bytes[length++] = value;
        if (value == 0xFF)
        {
            bytes[length++] = 0;
        }
    }

    /// <summary>Writes a value's magnitude bits (T.81 F.1.2.1.1): category, then the low bits, negatives as value − 1.</summary>
    public void WriteValue(int value, HuffmanEncoder table, int run = 0)
    {
        var category = Category(value);
        var symbol = (run << 4) | category;
        Write(table.Codes[symbol], table.Lengths[symbol]);
        if (category > 0)
        {
            Write(value < 0 ? value - 1 : value, category);
        }
    }

    public static int Category(int value)
    {
        var magnitude = Math.Abs(value);
        return magnitude == 0 ? 0 : 32 - System.Numerics.BitOperations.LeadingZeroCount((uint)magnitude);
    }
}

using System.Reflection;
using System.Runtime.InteropServices;

namespace SinkIdempotency.Kafka;

/// <summary>Binds the few librdkafka functions the mock cluster needs, from the very native library Confluent.Kafka loaded.</summary>
/// <remarks>
/// Confluent.Kafka resolves its native library by <c>DllImport</c> from its own assembly: <c>librdkafka</c> first (on Alpine
/// <c>alpine-librdkafka</c>), then <c>centos8-librdkafka</c> when the first cannot load. Resolving the same names against the
/// same assembly after Confluent.Kafka initialised returns the module already in the process (the loader counts references),
/// so the mock cluster and every Confluent.Kafka client share one copy. The version check rejects any other copy.
/// </remarks>
internal static class LibrdkafkaNative
{
    private static readonly Lazy<Functions> Loaded = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate int VersionFunction();

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate nint ConfNewFunction();

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate int ConfSetFunction(nint conf, [MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, nint errorText, nuint errorTextSize);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate void ConfSetLogFunction(nint conf, LogCallback callback);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate void HandleFunction(nint handle);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate nint KafkaNewFunction(int type, nint conf, nint errorText, nuint errorTextSize);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate nint MockClusterNewFunction(nint kafka, int brokers);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate nint MockBootstrapsFunction(nint cluster);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate int MockTopicCreateFunction(nint cluster, [MarshalAs(UnmanagedType.LPUTF8Str)] string topic, int partitions, int replicationFactor);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate int MockTopicDeleteFunction(nint cluster, [MarshalAs(UnmanagedType.LPUTF8Str)] string topic);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate void MockSetIntFunction(nint cluster, int value);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate nint ErrorTextFunction(int error);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate void LogCallback(nint kafka, int level, nint facility, nint message);

    /// <summary>Gets the bound functions, loading the library on first use.</summary>
    /// <exception cref="DllNotFoundException">Confluent.Kafka's native library could not be found again, or lacks the mock cluster.</exception>
    public static Functions Api => Loaded.Value;

    /// <summary>Gets the file name Confluent.Kafka's native library resolved to, for messages and tests.</summary>
    public static string LibraryName => Api.Name;

    /// <summary>Formats a librdkafka error code as librdkafka names it.</summary>
    public static string ErrorText(int error) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Marshal.PtrToStringUTF8(Api.ErrorText(error)) ?? "unknown error"} ({error})");

    private static Functions Load()
    {
        // Makes Confluent.Kafka load and bind its native library, so the lookups below find the module it chose.
        var expected = Confluent.Kafka.Library.Version;
        var assembly = typeof(Confluent.Kafka.Library).Assembly;
        var tried = new List<string>();
        foreach (var name in Candidates())
        {
            if (!NativeLibrary.TryLoad(name, assembly, null, out var handle))
            {
                tried.Add(name + " (not found)");
                continue;
            }

            var version = Bind<VersionFunction>(handle, "rd_kafka_version")();
            if (version != expected)
            {
                // Another copy of librdkafka on the search path: the mock would not share Confluent.Kafka's library.
                NativeLibrary.Free(handle);
                tried.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{name} (version 0x{version:x8}, Confluent.Kafka loaded 0x{expected:x8})"));
                continue;
            }

            return new Functions(handle, name);
        }

        throw new DllNotFoundException(
            $"The librdkafka native library Confluent.Kafka {Confluent.Kafka.Library.VersionString} loaded could not be bound again for the mock cluster; tried {string.Join(", ", tried)}. "
            + "Run from an output folder that holds Confluent.Kafka's runtimes/<rid>/native files (as dotnet build and dotnet test produce).");
    }

    private static IEnumerable<string> Candidates()
    {
        // The order Confluent.Kafka tries on each platform, so the first name that loads is the one it loaded.
        if (OperatingSystem.IsLinux() && IsAlpine())
        {
            yield return "alpine-librdkafka";
        }

        yield return "librdkafka";
        if (OperatingSystem.IsLinux())
        {
            yield return "centos8-librdkafka";
        }
    }

    private static bool IsAlpine()
    {
        try
        {
            return File.Exists("/etc/os-release") && File.ReadLines("/etc/os-release").Any(l => l.Trim() is "ID=alpine" or "ID=\"alpine\"");
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static T Bind<T>(nint library, string name)
        where T : Delegate =>
        NativeLibrary.TryGetExport(library, name, out var address)
            ? Marshal.GetDelegateForFunctionPointer<T>(address)
            : throw new DllNotFoundException($"The librdkafka native library Confluent.Kafka loaded does not export {name}; the mock cluster needs librdkafka 2.x built with its mock API.");

    /// <summary>Holds the bound functions.</summary>
    internal sealed class Functions(nint library, string name)
    {
        public string Name { get; } = name;

        public ConfNewFunction ConfNew { get; } = Bind<ConfNewFunction>(library, "rd_kafka_conf_new");

        public ConfSetFunction ConfSet { get; } = Bind<ConfSetFunction>(library, "rd_kafka_conf_set");

        public ConfSetLogFunction ConfSetLog { get; } = Bind<ConfSetLogFunction>(library, "rd_kafka_conf_set_log_cb");

        public HandleFunction ConfDestroy { get; } = Bind<HandleFunction>(library, "rd_kafka_conf_destroy");

        public KafkaNewFunction KafkaNew { get; } = Bind<KafkaNewFunction>(library, "rd_kafka_new");

        public HandleFunction KafkaDestroy { get; } = Bind<HandleFunction>(library, "rd_kafka_destroy");

        public MockClusterNewFunction MockClusterNew { get; } = Bind<MockClusterNewFunction>(library, "rd_kafka_mock_cluster_new");

        public HandleFunction MockClusterDestroy { get; } = Bind<HandleFunction>(library, "rd_kafka_mock_cluster_destroy");

        public MockBootstrapsFunction MockClusterBootstraps { get; } = Bind<MockBootstrapsFunction>(library, "rd_kafka_mock_cluster_bootstraps");

        public MockTopicCreateFunction MockTopicCreate { get; } = Bind<MockTopicCreateFunction>(library, "rd_kafka_mock_topic_create");

        public MockTopicDeleteFunction MockTopicDelete { get; } = Bind<MockTopicDeleteFunction>(library, "rd_kafka_mock_topic_delete");

        public MockSetIntFunction MockGroupInitialRebalanceDelay { get; } = Bind<MockSetIntFunction>(library, "rd_kafka_mock_group_initial_rebalance_delay_ms");

        public MockSetIntFunction MockSetControllerId { get; } = Bind<MockSetIntFunction>(library, "rd_kafka_mock_set_controller_id");

        public ErrorTextFunction ErrorText { get; } = Bind<ErrorTextFunction>(library, "rd_kafka_err2str");
    }
}

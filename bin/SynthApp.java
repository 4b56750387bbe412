import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import javax.tools.Diagnostic;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * Runs the project's CDK app, compiling its sources first (in a second JVM) when they changed. Started by
 * {@code bin/synth-app.js}, which puts the project's dependencies on the class path.
 *
 * <pre>
 *   SynthApp ROOT MAIN_CLASS [ARGS...]   compile if needed, then run MAIN_CLASS.main(ARGS)
 *   SynthApp ROOT --check                print "up to date" (exit 0) or "stale: why" (exit 1)
 *   SynthApp ROOT --compile              compile and cache the classes (what the first form starts when needed)
 * </pre>
 *
 * <p>Never stale: every run reads all the app's sources and hashes them together with the class path (each jar's
 * path, size and modification time) and the JDK version. The compiled classes are cached in one file,
 * {@code target/synth/app-classes.jar}, whose last entry holds the hash of exactly the source text they were compiled
 * from and a digest of the classes themselves. When the hash differs, or the cache is missing, cut short or altered,
 * all the sources are compiled again, so a changed constant or signature reaches every class that uses it. That takes
 * about 1.5-2.5 s for the project's 36 files, in a JVM of its own: the compiler's memory (about 200 MB) is returned
 * before the app runs. Meanwhile this JVM starts jsii's node process and loads aws-cdk-lib into it, which the app needs
 * next. The cache is written to a temporary file and renamed into place, so concurrent synths never see a partial one.
 * The app's classes are loaded from memory by a class loader whose parent holds the dependencies.
 */
public final class SynthApp {
  /** The app's sources, as pom.xml declares them: src and cdk8s (main), examples (test). test/ is not needed. */
  private static final List<String> SOURCE_ROOTS = List.of("src", "cdk8s", "examples");
  /** A separate Maven project that uses the library from its jar (pom.xml excludes it from the test sources too). */
  private static final String SEPARATE_PROJECT = "examples/consumer";
  /** Debug information, as Maven compiles; no annotation processors (the project has none). Sources are UTF-8. */
  private static final List<String> JAVAC_OPTIONS = List.of("-g", "-proc:none", "-nowarn");
  private static final String CACHE = "target/synth/app-classes.jar";
  private static final String LABEL_ENTRY = "META-INF/synth-app-label";

  public static void main(String[] args) throws Throwable {
    long start = System.nanoTime();
    Path root = Path.of(args[0]);
    if (args[1].equals("--compile")) {
      List<Source> sources = sources(root);
      writeCache(root.resolve(CACHE), hash(root, sources), compile(sources));
      return;
    }
    Map<String, byte[]> classes = new HashMap<>();
    String stale = readCache(root, classes);
    if (args[1].equals("--check")) {
      System.out.println(stale == null ? "up to date" : "stale: " + stale);
      System.exit(stale == null ? 0 : 1);
    }
    if (stale != null) {
      Thread jsii = startJsii();
      // Compiled again when a source changed while the compiler ran, so the app runs the sources as they are now.
      for (int attempt = 1; stale != null; attempt++, stale = readCache(root, classes)) {
        if (attempt > 3) fail("the sources keep changing while they are compiled");
        say("compiling: " + stale);
        int status = new ProcessBuilder(compileCommand(root)).inheritIO().start().waitFor();
        if (status != 0) System.exit(status);
      }
      jsii.join();
      say("compiled in " + (System.nanoTime() - start) / 1_000_000 + " ms");
    } else if ("1".equals(System.getenv("SYNTH_APP_VERBOSE"))) {
      say("up to date (" + (System.nanoTime() - start) / 1_000_000 + " ms)");
    }
    ClassLoader app = new MemoryClassLoader(classes, SOURCE_ROOTS.stream().map(root::resolve).toList(),
        SynthApp.class.getClassLoader());
    Thread.currentThread().setContextClassLoader(app);
    try {
      Class.forName(args[1], true, app).getMethod("main", String[].class)
          .invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /** This JVM's java, options (SYNTH_JAVA_OPTS, set by synth-app.js) and class path, running SynthApp --compile. */
  static List<String> compileCommand(Path root) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    String options = System.getenv("SYNTH_JAVA_OPTS");
    if (options != null && !options.isBlank()) command.addAll(List.of(options.trim().split("\\s+")));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), SynthApp.class.getName()));
    command.addAll(List.of(root.toString(), "--compile"));
    return command;
  }

  /** Every *.java under the source roots and in SYNTH_EXTRA_SOURCES (files or directories), in a stable order. */
  static List<Source> sources(Path root) throws IOException {
    List<Path> dirs = new ArrayList<>();
    SOURCE_ROOTS.forEach(dir -> dirs.add(root.resolve(dir)));
    String extra = System.getenv("SYNTH_EXTRA_SOURCES");
    if (extra != null && !extra.isEmpty()) {
      for (String entry : extra.split(java.io.File.pathSeparator)) dirs.add(root.resolve(entry));
    }
    List<Path> files = new ArrayList<>();
    for (Path dir : dirs) {
      if (!Files.exists(dir)) continue;
      try (Stream<Path> walk = Files.walk(dir)) {
        walk.filter(p -> p.toString().endsWith(".java") && Files.isRegularFile(p))
            .filter(p -> !p.startsWith(root.resolve(SEPARATE_PROJECT))).sorted().forEach(files::add);
      }
    }
    List<Source> sources = new ArrayList<>();
    for (Path file : files) sources.add(new Source(file, Files.readAllBytes(file)));
    return sources;
  }

  /** SHA-256 of the JDK version, the class path's jars (path, size, mtime) and every source's path and content. */
  static String hash(Path root, List<Source> sources) throws IOException, NoSuchAlgorithmException {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    StringBuilder context = new StringBuilder(System.getProperty("java.vm.version")).append('\n');
    context.append(JAVAC_OPTIONS).append('\n');
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      Path jar = Path.of(entry);
      if (Files.isRegularFile(jar)) {
        context.append(entry).append(' ').append(Files.size(jar)).append(' ')
            .append(Files.getLastModifiedTime(jar).toMillis()).append('\n');
      }
    }
    sha.update(context.toString().getBytes(StandardCharsets.UTF_8));
    for (Source source : sources) {
      sha.update((root.relativize(source.path()).toString().replace('\\', '/') + '\n' + source.text().length + '\n')
          .getBytes(StandardCharsets.UTF_8));
      sha.update(source.text());
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /** Fills classes from the cache; returns null when it holds the classes of the sources as they are now, else why. */
  static String readCache(Path root, Map<String, byte[]> classes) throws IOException, NoSuchAlgorithmException {
    Path cache = root.resolve(CACHE);
    if (!Files.exists(cache)) return "no compiled classes yet";
    String hash = hash(root, sources(root));
    String label = null;
    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(cache))) {
      for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
        byte[] bytes = zip.readAllBytes();
        if (entry.getName().equals(LABEL_ENTRY)) {
          label = new String(bytes, StandardCharsets.UTF_8);
        } else {
          label = null; // the label is the last entry: a cache cut short has none
          classes.put(entry.getName().replaceAll("\\.class$", "").replace('/', '.'), bytes);
        }
      }
      if (label == null) return stale(classes, "compiled classes incomplete");
      if (!label.startsWith(hash + " ")) return stale(classes, "sources, class path or JDK changed");
      if (!label.equals(label(hash, classes))) return stale(classes, "compiled classes corrupt");
      return null;
    } catch (IOException e) {
      return stale(classes, "compiled classes unreadable (" + e + ")");
    }
  }

  private static String stale(Map<String, byte[]> classes, String why) {
    classes.clear();
    return why;
  }

  /** The cache's last entry: the hash of the sources, then a SHA-256 of the classes' names and bytes. */
  static String label(String hash, Map<String, byte[]> classes) throws NoSuchAlgorithmException {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    for (Map.Entry<String, byte[]> entry : new TreeMap<>(classes).entrySet()) {
      sha.update((entry.getKey() + '\n' + entry.getValue().length + '\n').getBytes(StandardCharsets.UTF_8));
      sha.update(entry.getValue());
    }
    return hash + " " + HexFormat.of().formatHex(sha.digest());
  }

  /** Compiles the sources in memory; on errors prints them the way javac does and exits with status 1. */
  static Map<String, byte[]> compile(List<Source> sources) throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) fail("no Java compiler in " + System.getProperty("java.home") + ": run with a JDK, not a JRE");
    Map<String, ByteArrayOutputStream> output = new HashMap<>();
    List<JavaFileObject> units = new ArrayList<>();
    for (Source source : sources) {
      units.add(new SimpleJavaFileObject(source.path().toUri(), JavaFileObject.Kind.SOURCE) {
        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
          return new String(source.text(), StandardCharsets.UTF_8);
        }
      });
    }
    int[] errors = {0};
    try (JavaFileManager files = new ForwardingJavaFileManager<>(javac.getStandardFileManager(null, null, null)) {
      @Override
      public JavaFileObject getJavaFileForOutput(Location location, String name, JavaFileObject.Kind kind,
          FileObject sibling) {
        return new SimpleJavaFileObject(URI.create("mem:///" + name.replace('.', '/') + kind.extension), kind) {
          @Override
          public OutputStream openOutputStream() {
            return output.computeIfAbsent(name, n -> new ByteArrayOutputStream());
          }
        };
      }
    }) {
      boolean ok = javac.getTask(null, files, diagnostic -> {
        if (diagnostic.getKind() == Diagnostic.Kind.ERROR) {
          errors[0]++;
          System.err.println(diagnostic);
        }
      }, JAVAC_OPTIONS, null, units).call();
      if (!ok) fail("compilation failed with " + errors[0] + " error(s)");
    }
    Map<String, byte[]> classes = new HashMap<>();
    output.forEach((name, bytes) -> classes.put(name, bytes.toByteArray()));
    return classes;
  }

  static void writeCache(Path cache, String hash, Map<String, byte[]> classes)
      throws IOException, NoSuchAlgorithmException {
    Path temp = cache.resolveSibling(cache.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
    Files.createDirectories(cache.getParent());
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(temp))) {
      zip.setLevel(Deflater.BEST_SPEED);
      for (Map.Entry<String, byte[]> entry : classes.entrySet()) {
        zip.putNextEntry(new ZipEntry(entry.getKey().replace('.', '/') + ".class"));
        zip.write(entry.getValue());
      }
      zip.putNextEntry(new ZipEntry(LABEL_ENTRY));
      zip.write(label(hash, classes).getBytes(StandardCharsets.UTF_8));
    }
    Files.move(temp, cache, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Starts jsii's node process and loads aws-cdk-lib into it on another thread (about 1 s) while this one compiles.
   * The app waits for it (join) before it makes its own jsii calls. Without jsii or aws-cdk-lib it does nothing.
   */
  static Thread startJsii() {
    Thread thread = new Thread(() -> {
      try {
        Class<?> engine = Class.forName("software.amazon.jsii.JsiiEngine");
        engine.getMethod("loadModule", Class.class)
            .invoke(engine.getMethod("getInstance").invoke(null), Class.forName("software.amazon.awscdk.$Module"));
      } catch (ReflectiveOperationException | LinkageError e) {
        // the app reports any real problem with jsii itself when it starts it
      }
    }, "jsii-warm-up");
    thread.start();
    return thread;
  }

  static void say(String message) {
    System.err.println("synth-app: " + message);
  }

  static void fail(String message) {
    say(message);
    System.exit(1);
  }

  /** A source file and its content, read once: the hash covers exactly the text that is compiled. */
  record Source(Path path, byte[] text) {}

  /**
   * Defines the app's classes from their bytes in memory; the dependencies come from the parent. Resources (files
   * beside the sources, such as a Lambda handler a construct reads from the class path, as Maven's resources put them
   * in the jar) are read from the source roots as they are now.
   */
  static final class MemoryClassLoader extends ClassLoader {
    private final Map<String, byte[]> classes;
    private final List<Path> resourceRoots;

    MemoryClassLoader(Map<String, byte[]> classes, List<Path> resourceRoots, ClassLoader parent) {
      super("app", parent);
      this.classes = classes;
      this.resourceRoots = resourceRoots;
    }

    @Override
    protected URL findResource(String name) {
      for (Path dir : resourceRoots) {
        Path file = dir.resolve(name);
        if (!name.endsWith(".class") && Files.isRegularFile(file)) {
          try {
            return file.toUri().toURL();
          } catch (MalformedURLException e) {
            return null;
          }
        }
      }
      return null;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
      byte[] bytes = classes.get(name);
      if (bytes == null) throw new ClassNotFoundException(name);
      return defineClass(name, bytes, 0, bytes.length);
    }
  }
}

package org.fourier4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fourier4j report}: every plot the page shows exists (PNG decodes, SVG parses, and a real
 * headless Chromium renders each image), every table has rows, bad input is named.
 */
class ReportCommandTest {

    static final String LATENCY =
            "[{\"model\":\"fit\",\"image_size\":32,\"patch\":4,\"batch\":1,\"params_m\":38.68,"
                    + "\"gflops\":2.48,\"median_ms\":150.0,\"p90_ms\":170.0,\"images_per_s\":6.7,"
                    + "\"runs\":5,\"status\":\"ok\",\"reason\":null},"
                    + "{\"model\":\"vit-base-p4\",\"image_size\":32,\"patch\":4,\"batch\":1,"
                    + "\"params_m\":85.91,\"gflops\":5.6,\"median_ms\":200.0,\"p90_ms\":210.0,"
                    + "\"images_per_s\":5.0,\"runs\":5,\"status\":\"ok\",\"reason\":null},"
                    + "{\"model\":\"fit\",\"image_size\":224,\"patch\":4,\"batch\":1,"
                    + "\"params_m\":41.0,\"gflops\":120.0,\"median_ms\":2500.0,\"p90_ms\":2600.0,"
                    + "\"images_per_s\":0.4,\"runs\":5,\"status\":\"ok\",\"reason\":null},"
                    + "{\"model\":\"vit-base-p4\",\"image_size\":224,\"patch\":4,\"batch\":1,"
                    + "\"params_m\":88.3,\"gflops\":448.0,\"median_ms\":25000.0,"
                    + "\"p90_ms\":26000.0,\"images_per_s\":0.04,\"runs\":5,\"status\":\"ok\","
                    + "\"reason\":null},"
                    + "{\"model\":\"vit-base-p4\",\"image_size\":1080,\"patch\":16,\"batch\":1,"
                    + "\"status\":\"DNF\",\"reason\":\"out of memory budget <16 GB>\"}]";

    static final String CONV =
            "[{\"layer\":\"sweep.k3\",\"shape\":\"(1,128,56,56)\",\"kernel\":3,\"batch\":1,"
                + "\"direct_ms\":0.6,\"fft_ms\":6.0,\"auto_ms\":0.62,\"auto_choice\":\"direct\","
                + "\"speedup\":0.1},"
                + "{\"layer\":\"sweep.k15\",\"shape\":\"(1,128,56,56)\",\"kernel\":15,"
                + "\"batch\":1,\"direct_ms\":9.0,\"fft_ms\":6.5,\"auto_ms\":6.6,"
                + "\"auto_choice\":\"fft\",\"speedup\":1.38},"
                + "{\"layer\":\"sweep.k31\",\"shape\":\"(1,128,56,56)\",\"kernel\":31,"
                + "\"batch\":1,\"direct_ms\":230.0,\"fft_ms\":7.0,\"auto_ms\":7.1,"
                + "\"auto_choice\":\"fft\",\"speedup\":32.86}]";

    static final String MIXERS =
            "[{\"mixer\":\"GlobalFilter\",\"layout\":\"(B, H, W, C)\",\"mode\":\"inference\","
                    + "\"ms_64\":0.3,\"ms_1024\":1.5,\"ms_16384\":30.0,\"slope_1024_16384\":1.08,"
                    + "\"speedup_vs_attention_4096\":36.5,\"dnf\":\"\"},"
                    + "{\"mixer\":\"MultiHeadSelfAttention\",\"layout\":\"(B, N, D)\","
                    + "\"mode\":\"inference\",\"ms_64\":1.2,\"ms_1024\":15.7,\"ms_16384\":\"DNF\","
                    + "\"slope_1024_16384\":2.2,\"speedup_vs_attention_4096\":1.0,"
                    + "\"dnf\":\"16384: attention maps need ~6.44 GB\"}]";

    static Path runDir(Path root, String name, String model) throws Exception {
        Path dir = Files.createDirectories(root.resolve(name));
        Files.writeString(dir.resolve("config.json"), "{\"model\":\"" + model + "\"}");
        StringBuilder m = new StringBuilder();
        for (int e = 1; e <= 3; e++) {
            m.append(
                    String.format(
                            java.util.Locale.ROOT,
                            "{\"epoch\":%d,\"global_step\":%d,\"lr\":0.001,\"train_loss\":%.3f,"
                                    + "\"train_acc\":0.3,\"val_loss\":1.5,\"val_top1\":%.3f,"
                                    + "\"val_top5\":0.9,\"images_per_s\":90.0,\"seconds\":600.0}%n",
                            e,
                            e * 350,
                            2.3 - 0.3 * e,
                            0.2 + 0.1 * e));
        }
        Files.writeString(dir.resolve("metrics.jsonl"), m.toString());
        return dir;
    }

    private static Path write(Path dir, String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    static CliRunner fromSaved(Path tmp, Path out) throws Exception {
        return CliRunner.run(
                "report",
                "--out",
                out.toString(),
                "--latency",
                write(tmp, "latency.json", LATENCY).toString(),
                "--conv",
                write(tmp, "conv.json", CONV).toString(),
                "--mixers",
                write(tmp, "mixers.json", MIXERS).toString(),
                "--runs",
                runDir(tmp, "fit-run", "fit-tiny") + "," + runDir(tmp, "vit-run", "vit-tiny-p4"));
    }

    @Test
    void everyPlotExistsAndEveryTableHasRows(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("report");
        CliRunner r = fromSaved(tmp, out);
        assertEquals(0, r.exitCode, r.err);
        Document page = Jsoup.parse(out.resolve("index.html").toFile(), "UTF-8");

        List<Element> images = page.select("img");
        assertEquals(5, images.size(), "latency, crossover, mixers, accuracy, loss");
        for (Element img : images) {
            File png = out.resolve(img.attr("src")).toFile();
            BufferedImage decoded = ImageIO.read(png);
            assertNotNull(decoded, img.attr("src") + " is a readable PNG");
            assertEquals(900, decoded.getWidth());
        }
        List<Element> svgLinks = page.select("a[href$=.svg]");
        assertEquals(5, svgLinks.size());
        DocumentBuilderFactory xml = DocumentBuilderFactory.newInstance();
        // the SVG names the W3C DTD: parse offline
        xml.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        for (Element a : svgLinks) {
            org.w3c.dom.Document svg =
                    xml.newDocumentBuilder().parse(out.resolve(a.attr("href")).toFile());
            assertEquals("svg", svg.getDocumentElement().getNodeName());
        }
        assertTablesHaveRows(page, 4);

        // ratios a user reads off: ViT/FiT at 224 (patch 4), and the DNF kept with its reason
        Element latency = page.getElementById("table-latency");
        List<String> header = latency.select("thead th").eachText();
        int ratio = header.indexOf("x_fastest");
        assertTrue(ratio >= 0, header.toString());
        Element vit224 = latency.select("tbody tr").get(3);
        assertEquals("10", vit224.child(ratio).text());
        assertTrue(latency.text().contains("out of memory budget <16 GB>"), "escaped, kept");
        Element training = page.getElementById("table-training");
        assertTrue(training.text().contains("fit-run fit-tiny 3 30 50"), training.text());
    }

    static void assertTablesHaveRows(Document page, int tables) {
        List<Element> found = page.select("table");
        assertEquals(tables, found.size());
        for (Element t : found) {
            assertFalse(t.select("thead th").isEmpty(), t.id() + " has a header");
            assertFalse(t.select("tbody tr").isEmpty(), t.id() + " has rows");
        }
    }

    @Test
    void aRealBrowserRendersEveryPlot(@TempDir Path tmp) throws Exception {
        String chromium = findChromium();
        if (chromium == null) {
            if ("1".equals(System.getenv("FOURIER4J_REQUIRE_BROWSER"))) {
                fail("FOURIER4J_REQUIRE_BROWSER=1 but no chromium on the PATH or at $CHROMIUM");
            }
            Assumptions.abort("no headless Chromium here (CI installs Debian's chromium)");
        }
        Path out = tmp.resolve("report");
        assertEquals(0, fromSaved(tmp, out).exitCode);
        List<String> cmd = new ArrayList<>();
        cmd.add(chromium);
        cmd.addAll(
                List.of(
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-quic",
                        "--no-first-run",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--user-data-dir=" + tmp.resolve("profile"),
                        "--virtual-time-budget=10000",
                        "--dump-dom",
                        out.resolve("index.html").toUri().toString()));
        Process p =
                new ProcessBuilder(cmd).redirectError(tmp.resolve("chromium.log").toFile()).start();
        byte[] dom = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium finished");
        assertEquals(0, p.exitValue(), Files.readString(tmp.resolve("chromium.log")));
        Document rendered = Jsoup.parse(new String(dom, StandardCharsets.UTF_8));
        List<Element> images = rendered.select("img");
        assertEquals(5, images.size(), rendered.outerHtml());
        for (Element img : images) {
            assertEquals(
                    "yes", img.attr("data-rendered"), img.attr("src") + " decoded by the browser");
        }
        assertTablesHaveRows(rendered, 4);
    }

    static String findChromium() {
        String env = System.getenv("CHROMIUM");
        if (env != null && Files.isExecutable(Path.of(env))) {
            return env;
        }
        for (String c : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            if (Files.isExecutable(Path.of(c))) {
                return c;
            }
        }
        return null;
    }

    @Test
    void measuresWhatIsNotGivenAndSavesItsJson(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("report");
        CliRunner r =
                CliRunner.run(
                        "report",
                        "--out",
                        out.toString(),
                        "--measure",
                        "--conv",
                        write(tmp, "conv.json", CONV).toString(),
                        "--tokens",
                        "64,256",
                        "--models",
                        "fit-tiny",
                        "--sizes",
                        "32,40",
                        "--repeats",
                        "1");
        assertEquals(0, r.exitCode, r.err);
        assertFalse(Files.exists(out.resolve("data/conv.json")), "given, not measured");
        String mixers = Files.readString(out.resolve("data/mixers.json"));
        assertTrue(mixers.contains("\"ms_256\""), mixers);
        String latency = Files.readString(out.resolve("data/latency.json"));
        assertTrue(latency.contains("\"status\" : \"ok\""), latency);
        Document page = Jsoup.parse(out.resolve("index.html").toFile(), "UTF-8");
        assertEquals(3, page.select("img").size());
        assertTablesHaveRows(page, 3);
        // the saved JSON renders the same sections again without measuring
        CliRunner again =
                CliRunner.run(
                        "report",
                        "--out",
                        tmp.resolve("again").toString(),
                        "--latency",
                        out.resolve("data/latency.json").toString(),
                        "--mixers",
                        out.resolve("data/mixers.json").toString());
        assertEquals(0, again.exitCode, again.err);
    }

    @Test
    void modelsTimedAtOneSizeAreTabledNotPlotted(@TempDir Path tmp) throws Exception {
        String one =
                "[{\"model\":\"gfnet-ti\",\"image_size\":224,\"patch\":null,\"batch\":1,"
                        + "\"median_ms\":50.0,\"status\":\"ok\",\"reason\":null},"
                        + "{\"model\":\"vit-tiny\",\"image_size\":224,\"patch\":null,"
                        + "\"batch\":1,\"median_ms\":40.0,\"status\":\"ok\",\"reason\":null}]";
        Path out = tmp.resolve("report");
        CliRunner r =
                CliRunner.run(
                        "report",
                        "--out",
                        out.toString(),
                        "--latency",
                        write(tmp, "zoo.json", one).toString());
        assertEquals(0, r.exitCode, r.err);
        Document page = Jsoup.parse(out.resolve("index.html").toFile(), "UTF-8");
        assertTrue(page.select("img").isEmpty());
        assertTrue(page.text().contains("Nothing to plot"), page.text());
        assertTablesHaveRows(page, 1);
        assertEquals(
                "1.25", page.select("#table-latency tbody tr").get(0).children().last().text());
    }

    @Test
    void eachSavedRunIsASectionOfItsOwn(@TempDir Path tmp) throws Exception {
        // ratios are only meaningful within one run: two files are never mixed in one table
        Path out = tmp.resolve("report");
        CliRunner r =
                CliRunner.run(
                        "report",
                        "--out",
                        out.toString(),
                        "--latency",
                        write(tmp, "Run A.json", LATENCY)
                                + ","
                                + write(tmp, "run-b.json", LATENCY));
        assertEquals(0, r.exitCode, r.err);
        Document page = Jsoup.parse(out.resolve("index.html").toFile(), "UTF-8");
        assertEquals(
                List.of("latency-vs-resolution-run-a.png", "latency-vs-resolution-run-b.png"),
                page.select("img").eachAttr("src"));
        assertEquals(
                List.of("table-latency-run-a", "table-latency-run-b"),
                page.select("table").eachAttr("id"));
        assertEquals(5, page.select("#table-latency-run-b tbody tr").size());
    }

    @Test
    void badInputIsNamed(@TempDir Path tmp) throws Exception {
        CliRunner none = CliRunner.run("report", "--out", tmp.resolve("r").toString());
        assertEquals(2, none.exitCode);
        assertTrue(none.err.contains("nothing to report"), none.err);

        Path missing = tmp.resolve("nope.json");
        CliRunner gone = CliRunner.run("report", "--latency", missing.toString());
        assertEquals(2, gone.exitCode);
        assertTrue(gone.err.contains("--latency " + missing + ": no such file"), gone.err);

        Path conv = write(tmp, "conv.json", CONV);
        CliRunner wrong = CliRunner.run("report", "--latency", conv.toString());
        assertEquals(2, wrong.exitCode);
        assertTrue(wrong.err.contains("row 1 has no 'model'"), wrong.err);

        Path broken = write(tmp, "broken.json", "[{\"mixer\": ");
        CliRunner corrupt = CliRunner.run("report", "--mixers", broken.toString());
        assertEquals(2, corrupt.exitCode);
        assertTrue(corrupt.err.contains("--mixers " + broken + ": not JSON"), corrupt.err);

        CliRunner run = CliRunner.run("report", "--runs", tmp.toString());
        assertEquals(2, run.exitCode);
        assertTrue(run.err.contains("no metrics.jsonl"), run.err);

        CliRunner model =
                CliRunner.run(
                        "report",
                        "--out",
                        tmp.resolve("m").toString(),
                        "--measure",
                        "--models",
                        "vit-tinny");
        assertEquals(2, model.exitCode);
        assertTrue(model.err.contains("--models: unknown model 'vit-tinny'"), model.err);
        assertFalse(Files.exists(tmp.resolve("m/index.html")), "checked before measuring");
    }
}

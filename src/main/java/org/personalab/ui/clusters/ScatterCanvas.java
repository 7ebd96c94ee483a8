package org.personalab.ui.clusters;

import java.nio.IntBuffer;
import java.util.function.IntConsumer;
import javafx.application.Platform;
import javafx.geometry.Point2D;
import javafx.scene.Cursor;
import javafx.scene.control.Label;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelBuffer;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.input.MouseButton;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javafx.scene.layout.Region;
import javafx.scene.shape.Circle;

/**
 * A scatter of every person's 2D position that stays smooth with 300,000 points: each frame is a {@link Raster}
 * drawn into an {@code int[]} of pixels on a render thread (one pass over two float arrays, nothing built per
 * point), then shown through a {@link PixelBuffer}; the FX thread only swaps the finished image in. Two buffers
 * alternate, and at most one frame is drawn at a time: requests while one is drawn collapse into one more frame with
 * the latest view. Pan by dragging, zoom with the wheel around the cursor, double-click to fit again. Hover and
 * click find the person under the cursor through the picture's {@link PointIndex}.
 *
 * <p>Both axes share one scale, so distances on screen are proportional to distances in the projection.
 */
public final class ScatterCanvas extends Region {

    /** How far from a point (in pixels) the cursor still hits it. */
    public static final double PICK_RADIUS = 6;
    private static final double MARGIN = 16;
    private static final double DRAG_SLOP = 3;

    private final ImageView view = new ImageView();
    private final Circle ring = new Circle(6);
    private final Label hoverLabel = new Label();

    private float[] xs = new float[0];
    private float[] ys = new float[0];
    private int[] labels = new int[0];
    private int[] colors = new int[0];
    private PointIndex index;
    private int highlight = -1;
    private int hoveredRow = -1;

    private int[] order;
    private Frame shown;
    private Frame spare;
    private boolean rendering;
    private boolean pending;

    private double scale = 1;
    private double ox;
    private double oy;
    private double fitScale = 1;
    private boolean fitted;
    private boolean userMoved;

    private double pressX;
    private double pressY;
    private double pressOx;
    private double pressOy;
    private boolean dragging;
    private double mouseX;
    private double mouseY;

    private IntConsumer onHover = r -> { };
    private IntConsumer onOpen = r -> { };
    private long lastRenderNanos;

    public ScatterCanvas() {
        getStyleClass().add("cluster-scatter");
        view.setManaged(false);
        view.setSmooth(false);
        ring.setManaged(false);
        ring.setMouseTransparent(true);
        ring.setFill(null);
        ring.setStrokeWidth(2);
        ring.setStyle("-fx-stroke: -fx-text-base-color;");
        ring.setVisible(false);
        hoverLabel.setManaged(false);
        hoverLabel.setMouseTransparent(true);
        hoverLabel.setId("clusterHover");
        hoverLabel.setStyle("-fx-background-color: rgba(30,34,44,0.88); -fx-text-fill: white; "
                + "-fx-padding: 3 7 3 7; -fx-background-radius: 4; -fx-font-size: 11px;");
        hoverLabel.setVisible(false);
        getChildren().addAll(view, ring, hoverLabel);
        setMinSize(200, 160);
        setPrefSize(600, 480);
        setCursor(Cursor.CROSSHAIR);
        setFocusTraversable(true);

        setOnMousePressed(e -> {
            pressX = e.getX();
            pressY = e.getY();
            pressOx = ox;
            pressOy = oy;
            dragging = false;
        });
        setOnMouseDragged(e -> {
            if (!dragging && Math.hypot(e.getX() - pressX, e.getY() - pressY) > DRAG_SLOP) {
                dragging = true;
                setCursor(Cursor.MOVE);
                hover(-1);
            }
            if (dragging) {
                panTo(pressOx + e.getX() - pressX, pressOy + e.getY() - pressY);
            }
        });
        setOnMouseReleased(e -> {
            if (dragging) {
                dragging = false;
                setCursor(Cursor.CROSSHAIR);
            }
        });
        setOnMouseClicked(e -> {
            if (e.getButton() != MouseButton.PRIMARY || !e.isStillSincePress()) {
                return;
            }
            if (e.getClickCount() == 2) {
                fit();
                return;
            }
            int row = pick(e.getX(), e.getY());
            mouseX = e.getX();
            mouseY = e.getY();
            if (row >= 0) {
                onOpen.accept(row);
            }
        });
        setOnMouseMoved(e -> {
            mouseX = e.getX();
            mouseY = e.getY();
            hover(pick(e.getX(), e.getY()));
        });
        setOnMouseExited(e -> hover(-1));
        setOnScroll(e -> {
            // one wheel notch (deltaY = multiplierY, 40 on desktops) zooms by a fifth; trackpads give fractions
            double perNotch = e.getMultiplierY() > 0 ? e.getMultiplierY() : 40;
            double notches = Math.max(-10, Math.min(10, e.getDeltaY() / perNotch));
            if (notches != 0) {
                zoom(Math.pow(1.2, notches), e.getX(), e.getY());
            }
        });
        widthProperty().addListener(o -> sizeChanged());
        heightProperty().addListener(o -> sizeChanged());
    }

    /** Shows new positions (fitting the view to them) with their labels; colours follow with {@link #setColors}. */
    public void setPoints(float[] x, float[] y, int[] clusterLabels, PointIndex idx) {
        boolean samePositions = x == xs && y == ys;
        xs = x;
        ys = y;
        labels = clusterLabels;
        index = idx;
        if (colors.length != x.length) {
            colors = new int[x.length];
            java.util.Arrays.fill(colors, ClusterPalette.NONE);
            order = null;
        }
        hover(-1);
        if (!samePositions) {
            fitted = false;
            userMoved = false;
            fit();
        } else {
            requestRender();
        }
    }

    /**
     * Point colours (ARGB, one per point) and the order to draw them in (null: row order); ignored when they do not
     * match the points.
     */
    public void setColors(int[] argb, int[] drawOrder) {
        if (argb != null && argb.length == xs.length && (drawOrder == null || drawOrder.length == xs.length)) {
            colors = argb;
            order = drawOrder;
            requestRender();
        }
    }

    /** Draws one cluster in front and fades the others (-1: all alike). */
    public void setHighlight(int cluster) {
        highlight = cluster;
        requestRender();
    }

    /** Called with the dataset row under the cursor whenever it changes (-1: none). */
    public void setOnHover(IntConsumer c) {
        onHover = c;
    }

    /** Called with the dataset row clicked. */
    public void setOnOpen(IntConsumer c) {
        onOpen = c;
    }

    /** The text the hover label shows next to the cursor (null hides it). */
    public void setHoverText(String text) {
        hoverLabel.setText(text == null ? "" : text);
        hoverLabel.setVisible(text != null && hoveredRow >= 0);
        placeHover();
    }

    // ---- view transform

    /** Fits all points into the view. */
    public void fit() {
        double w = getWidth();
        double h = getHeight();
        if (index == null || index.size() == 0 || w < 2 || h < 2) {
            requestRender();
            return;
        }
        double bw = Math.max(index.maxX() - index.minX(), 1e-9);
        double bh = Math.max(index.maxY() - index.minY(), 1e-9);
        scale = Math.max(1e-9, Math.min((w - 2 * MARGIN) / bw, (h - 2 * MARGIN) / bh));
        fitScale = scale;
        ox = w / 2 - scale * (index.minX() + index.maxX()) / 2;
        oy = h / 2 + scale * (index.minY() + index.maxY()) / 2;
        fitted = true;
        userMoved = false;
        requestRender();
    }

    /** Multiplies the zoom by {@code factor}, keeping the data point under ({@code cx}, {@code cy}) in place. */
    public void zoom(double factor, double cx, double cy) {
        double next = Math.max(fitScale / 8, Math.min(fitScale * 4000, scale * factor));
        double f = next / scale;
        ox = cx - (cx - ox) * f;
        oy = cy - (cy - oy) * f;
        scale = next;
        userMoved = true;
        hover(-1);
        requestRender();
    }

    private void panTo(double newOx, double newOy) {
        ox = newOx;
        oy = newOy;
        userMoved = true;
        requestRender();
    }

    /** Screen position (local coordinates) of a point. */
    public Point2D toScreen(int row) {
        return new Point2D(ox + xs[row] * scale, oy - ys[row] * scale);
    }

    /** The dataset row drawn nearest to a local position within {@link #PICK_RADIUS} pixels, or -1. */
    public int pick(double lx, double ly) {
        if (index == null) {
            return -1;
        }
        return index.nearest((lx - ox) / scale, (oy - ly) / scale, PICK_RADIUS / scale);
    }

    /** Pixels per projection unit. */
    public double scale() {
        return scale;
    }

    /** Zoom relative to the fitted view (1 = fitted). */
    public double zoomLevel() {
        return scale / fitScale;
    }

    /** The shown pixel at a local position (premultiplied ARGB; 0 where nothing is drawn or outside). */
    int pixelAt(double lx, double ly) {
        Frame f = shown;
        int x = (int) Math.floor(lx);
        int y = (int) Math.floor(ly);
        return f == null || x < 0 || y < 0 || x >= f.w || y >= f.h ? 0 : f.pixels[y * f.w + x];
    }

    /** Nanoseconds the last frame shown took to draw on the render thread (for measurements). */
    public long lastRenderNanos() {
        return lastRenderNanos;
    }

    private void hover(int row) {
        if (row != hoveredRow) {
            hoveredRow = row;
            onHover.accept(row);
        }
        if (row < 0) {
            ring.setVisible(false);
            hoverLabel.setVisible(false);
        } else {
            Point2D p = toScreen(row);
            ring.setCenterX(p.getX());
            ring.setCenterY(p.getY());
            ring.setVisible(true);
            placeHover();
        }
    }

    private void placeHover() {
        if (!hoverLabel.isVisible()) {
            return;
        }
        hoverLabel.autosize();
        double lw = hoverLabel.getWidth();
        double lh = hoverLabel.getHeight();
        double x = mouseX + 14 + lw > getWidth() ? mouseX - 14 - lw : mouseX + 14;
        double y = mouseY + 14 + lh > getHeight() ? mouseY - 14 - lh : mouseY + 14;
        hoverLabel.relocate(Math.max(0, x), Math.max(0, y));
    }

    private void sizeChanged() {
        if (!userMoved || !fitted) {
            fit();
        } else {
            requestRender();
        }
    }

    // ---- drawing

    /** A pixel buffer and the image it backs. */
    private static final class Frame {
        final int w;
        final int h;
        final int[] pixels;
        final PixelBuffer<IntBuffer> buffer;
        final WritableImage image;

        Frame(int w, int h) {
            this.w = w;
            this.h = h;
            pixels = new int[w * h];
            buffer = new PixelBuffer<>(w, h, IntBuffer.wrap(pixels), PixelFormat.getIntArgbPreInstance());
            image = new WritableImage(buffer);
        }
    }

    /** The thread frames are drawn on (one for all scatters; a frame takes milliseconds). */
    private static final ExecutorService RENDERER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "scatter-render");
        t.setDaemon(true);
        return t;
    });

    /** Asks for a frame with the current view; requests while one is drawn collapse into one more. */
    public void requestRender() {
        if (rendering) {
            pending = true;
        } else {
            startFrame();
        }
    }

    private void startFrame() {
        int w = (int) Math.ceil(getWidth());
        int h = (int) Math.ceil(getHeight());
        if (w < 1 || h < 1) {
            return;
        }
        Frame target = spare != null && spare.w == w && spare.h == h ? spare : new Frame(w, h);
        spare = null;
        Raster frame = new Raster(xs, ys, labels, colors, order, scale, ox, oy,
                Raster.dotSize(xs.length, zoomLevel()), highlight);
        rendering = true;
        RENDERER.execute(() -> {
            long t0 = System.nanoTime();
            try {
                frame.drawInto(target.pixels, w, h);
            } finally {
                long took = System.nanoTime() - t0;
                Platform.runLater(() -> show(target, took));
            }
        });
    }

    /** Shows a finished frame (FX thread); its buffer was drawn on the render thread, so mark it all changed. */
    private void show(Frame f, long nanos) {
        rendering = false;
        f.buffer.updateBuffer(b -> null);
        view.setImage(f.image);
        Frame old = shown;
        shown = f;
        spare = old != null && old.w == f.w && old.h == f.h ? old : null;
        lastRenderNanos = nanos;
        if (pending) {
            pending = false;
            startFrame();
        }
    }

    @Override
    protected void layoutChildren() {
        view.relocate(0, 0);
        placeHover();
    }
}

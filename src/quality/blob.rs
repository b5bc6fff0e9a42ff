//! The largest 4-connected region of a binary mask (stack-based flood fill, no recursion), with its pixel
//! count, bounding box and which image borders it touches. Used for glare and for document framing.

/// A connected region of a mask.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Blob {
    /// Number of pixels.
    pub count: usize,
    pub x0: usize,
    pub y0: usize,
    /// Exclusive right and bottom edges.
    pub x1: usize,
    pub y1: usize,
    /// How many of the four image borders the region touches.
    pub borders: u8,
}

/// The largest region of `true` pixels of a `width × height` mask (the mask is consumed as the visited set).
pub fn largest(mask: &mut [bool], width: usize, height: usize) -> Blob {
    let mut best = Blob::default();
    let mut stack: Vec<usize> = Vec::new();
    for start in 0..mask.len().min(width * height) {
        if !mask.get(start).copied().unwrap_or(false) {
            continue;
        }
        let mut b = Blob {
            count: 0,
            x0: usize::MAX,
            y0: usize::MAX,
            x1: 0,
            y1: 0,
            borders: 0,
        };
        if let Some(m) = mask.get_mut(start) {
            *m = false;
        }
        stack.push(start);
        while let Some(i) = stack.pop() {
            let (x, y) = (i % width, i / width);
            b.count += 1;
            b.x0 = b.x0.min(x);
            b.y0 = b.y0.min(y);
            b.x1 = b.x1.max(x + 1);
            b.y1 = b.y1.max(y + 1);
            let mut visit = |j: usize| {
                if let Some(m) = mask.get_mut(j) {
                    if *m {
                        *m = false;
                        stack.push(j);
                    }
                }
            };
            if x > 0 {
                visit(i - 1);
            }
            if x + 1 < width {
                visit(i + 1);
            }
            if y > 0 {
                visit(i - width);
            }
            if y + 1 < height {
                visit(i + width);
            }
        }
        if b.count > best.count {
            b.borders = u8::from(b.x0 == 0) + u8::from(b.y0 == 0) + u8::from(b.x1 == width) + u8::from(b.y1 == height);
            best = b;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_largest_region() {
        #[rustfmt::skip]
        let mut m = [
            true,  false, true,  true,
            false, false, true,  false,
            true,  false, true,  true,
        ];
        let b = largest(&mut m, 4, 3);
        assert_eq!((b.count, b.x0, b.y0, b.x1, b.y1, b.borders), (5, 2, 0, 4, 3, 3));
        assert_eq!(largest(&mut [false; 6], 3, 2).count, 0);
    }
}
